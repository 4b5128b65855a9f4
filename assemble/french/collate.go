package french

import (
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// collators are French collators, ignoring accents and case first (« É »
// sorts with « E », « établissement » before « Ville »), then telling them
// apart; a Collator is not safe for concurrent use, hence the pool.
var collators = sync.Pool{New: func() any {
	return [2]*collate.Collator{
		collate.New(language.French, collate.Loose),
		collate.New(language.French),
	}
}}

// Compare orders a and b as a French reader expects a list of names:
// accents, case and punctuation ignored at first, then accents and case
// telling apart names that differ only by them, then the bytes (a total
// order, so that a sort is the same from run to run).
func Compare(a, b string) int {
	cs := collators.Get().([2]*collate.Collator)
	defer collators.Put(cs)
	if c := cs[0].CompareString(strings.TrimSpace(a), strings.TrimSpace(b)); c != 0 {
		return c
	}
	if c := cs[1].CompareString(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
