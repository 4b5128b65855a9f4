//go:build js && wasm

// Command wasm is the web page's engine, compiled to WebAssembly and run in
// a Web Worker (web/static/worker.js). It sets globalThis.necdossier:
//
//	call                      the call: title, workbookName, deadline, recipient
//	blank()                   → Promise<{name, data}>: the blank workbook
//	check(files, workbook)    → Promise<{findings, error}>
//	build(files, workbook, o) → Promise<{findings, warnings, parts, error}>
//
// files is an array of {path, data: Uint8Array}, the paths relative to the
// folder the user gave (or bare names); workbook is one of those paths, its
// letters looked up beside it. o is {now: ms since 1970, tzOffset: minutes
// as Date.getTimezoneOffset gives, email: bool}. A finding is {severity:
// "erreur"|"avertissement", sheet, cell, text}, text being what `necdossier
// check` prints after the place; a part is {name, role, pages, data}. error
// is a French message, "" when all went well; findings with an error mean
// that the dossier was not made.
//
// It calls nothing but the in-memory API of package assemble.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"syscall/js"
	"testing/fstest"
	"time"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"

	"necdossier/fonts"
	"necdossier/templates"
)

func main() {
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		js.Global().Set("necdossier", js.ValueOf(map[string]any{"error": err.Error()}))
		select {}
	}
	js.Global().Set("necdossier", js.ValueOf(map[string]any{
		"call": map[string]any{
			"title":        call.Title,
			"workbookName": call.WorkbookName,
			"deadline":     call.Deadline.Format("2006-01-02"),
			"recipient":    call.Recipient.Email,
		},
		"blank": js.FuncOf(func(this js.Value, args []js.Value) any {
			return promise(func() (any, error) {
				var buf bytes.Buffer
				if err := workbook.Write(&buf, call, nil); err != nil {
					return nil, err
				}
				return map[string]any{"name": call.WorkbookName, "data": bytesToJS(buf.Bytes())}, nil
			})
		}),
		"check": js.FuncOf(func(this js.Value, args []js.Value) any {
			fsys, workbook := filesArg(args), args[1].String()
			return promise(func() (any, error) {
				findings, err := assemble.CheckFS(fsys, workbook, assemble.Options{Call: call})
				return map[string]any{"findings": findingsToJS(findings), "error": errText(err)}, nil
			})
		}),
		"build": js.FuncOf(func(this js.Value, args []js.Value) any {
			fsys, workbook, o := filesArg(args), args[1].String(), args[2]
			opt := assemble.Options{Call: call, Fonts: fonts.FS, Now: nowArg(o), Email: o.Get("email").Truthy()}
			return promise(func() (any, error) {
				res, err := assemble.BuildFS(fsys, workbook, opt)
				out := map[string]any{"findings": []any{}, "warnings": []any{}, "parts": []any{}, "error": errText(err)}
				if res == nil {
					return out, nil
				}
				out["findings"] = findingsToJS(res.Findings)
				warnings, parts := []any{}, []any{}
				for _, w := range res.Warnings {
					warnings = append(warnings, w)
				}
				for _, p := range res.Parts {
					parts = append(parts, map[string]any{"name": p.Name, "role": p.Role, "pages": p.Pages, "data": bytesToJS(p.Data)})
				}
				out["warnings"], out["parts"] = warnings, parts
				return out, nil
			})
		}),
	}))
	select {}
}

// promise runs f on its own goroutine, so that the worker's event loop
// goes on (Go's timers need it), and settles a JavaScript Promise with its
// result. A panic becomes a rejection, never a crashed worker.
func promise(f func() (any, error)) js.Value {
	executor := js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(js.Global().Get("Error").New(fmt.Sprintf("erreur interne (%v) : merci de la signaler avec le classeur en cause", r)))
				}
			}()
			v, err := f()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(js.ValueOf(v))
		}()
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

// filesArg turns args[0], an array of {path, data}, into a file system.
func filesArg(args []js.Value) fs.FS {
	files := fstest.MapFS{}
	list := args[0]
	for i := range list.Length() {
		f := list.Index(i)
		data := make([]byte, f.Get("data").Get("byteLength").Int())
		js.CopyBytesToGo(data, f.Get("data"))
		files[strings.TrimPrefix(f.Get("path").String(), "/")] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return files
}

// nowArg is the date written in the dossier: the user's clock and time
// zone, or UTC when the offset is 0 (as with SOURCE_DATE_EPOCH).
func nowArg(o js.Value) time.Time {
	t := time.UnixMilli(int64(o.Get("now").Float()))
	off := o.Get("tzOffset").Int()
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", -off*60))
}

func findingsToJS(findings []model.Finding) []any {
	out := []any{}
	for _, f := range findings {
		severity := "avertissement"
		if f.Severity == model.Erreur {
			severity = "erreur"
		}
		// What check prints after « erreur : Feuille!B4 : ».
		text := f.String()
		if _, rest, ok := strings.Cut(text, " : "); ok {
			text = rest
			if _, rest, ok := strings.Cut(text, " : "); ok {
				text = rest
			}
		}
		out = append(out, map[string]any{"severity": severity, "sheet": f.Sheet, "cell": f.Cell, "text": text, "message": f.Message})
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func bytesToJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}
