// Copyright 2016 - 2026 The excelize Authors. All rights reserved. Use of
// this source code is governed by a BSD-style license that can be found in
// the LICENSE file.

package excelize

import (
	"regexp"
	"sync"
)

// necdossier fork: lazyRegexp is a regular expression compiled on first use
// instead of at package initialisation (27 of them cost every process that
// imports excelize about 1.5 ms and 0.5 MB, used or not). It has the methods
// of *regexp.Regexp that excelize calls, so only the declarations changed.
type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// newLazyRegexp stands for regexp.MustCompile(expr): it panics, as that
// does, if expr does not compile, but on first use.
func newLazyRegexp(expr string) *lazyRegexp {
	return &lazyRegexp{expr: expr}
}

// get returns the compiled expression, compiling it the first time.
func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

// MatchString is regexp.Regexp.MatchString.
func (l *lazyRegexp) MatchString(s string) bool {
	return l.get().MatchString(s)
}

// FindAllString is regexp.Regexp.FindAllString.
func (l *lazyRegexp) FindAllString(s string, n int) []string {
	return l.get().FindAllString(s, n)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (l *lazyRegexp) FindStringSubmatch(s string) []string {
	return l.get().FindStringSubmatch(s)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (l *lazyRegexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.get().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (l *lazyRegexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.get().ReplaceAllStringFunc(src, repl)
}
