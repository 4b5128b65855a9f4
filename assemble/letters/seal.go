package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// SealKey is the information entry that holds the seal of a dossier: the
// SHA-256 of its bytes, the seal itself and the file identifier blanked.
// A PDF whose pages, metadata or structure changed since it was made no
// longer matches its seal.
const SealKey = "NecdossierSceau"

var (
	sealBlank = strings.Repeat("0", 64)
	sealEntry = regexp.MustCompile(`/` + SealKey + `\s*\(([0-9a-f]{64})\)`)
	// pdfID finds the file identifier, which the seal does not cover (it
	// is computed from the same digest, see stamp).
	pdfID = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]`)
)

// setInfo adds entries to the document's information dictionary: the
// values as text strings, the seal's placeholder when seal is set.
func setInfo(ctx *model.Context, info map[string]string, seal bool) error {
	if len(info) == 0 && !seal {
		return nil
	}
	d, err := infoDict(ctx)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range info {
			if !yield(k) {
				return
			}
		}
	}) {
		d[k] = types.HexLiteral(utf16Hex(info[k]))
	}
	if seal {
		d[SealKey] = types.StringLiteral(sealBlank)
	}
	return nil
}

// infoDict returns the document's information dictionary, made when it
// has none.
func infoDict(ctx *model.Context) (types.Dict, error) {
	if ctx.Info != nil {
		if d, ok := deref(ctx.XRefTable, *ctx.Info).(types.Dict); ok {
			return d, nil
		}
	}
	d := types.Dict{}
	ref, err := ctx.IndRefForNewObject(d)
	if err != nil {
		return nil, err
	}
	ctx.Info = ref
	return d, nil
}

func utf16Hex(s string) string {
	var h strings.Builder
	h.WriteString("FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&h, "%04X", u)
	}
	return h.String()
}

// sealPlaces finds the file identifier and the seal the way a reader
// finds the trailer, from the end, so that look-alikes in a letter's
// content (copied byte for byte) are never taken for them: the identifier
// is the first /ID after startxref (in the classic trailer or the
// cross-reference stream's dictionary), the seal the last placeholder
// before it (the information dictionary is written last, see writeDoc).
// Each is nil when not found: submatch indexes, as FindSubmatchIndex.
func sealPlaces(pdf []byte) (id, seal []int) {
	sx := bytes.LastIndex(pdf, []byte("startxref"))
	if sx < 0 {
		return nil, nil
	}
	f := bytes.Fields(pdf[sx+len("startxref") : min(len(pdf), sx+len("startxref")+32)])
	if len(f) == 0 {
		return nil, nil
	}
	at, err := strconv.Atoi(string(f[0]))
	if err != nil || at < 0 || at >= sx {
		return nil, nil
	}
	if m := pdfID.FindSubmatchIndex(pdf[at:sx]); m != nil {
		id = shift(m, at)
	}
	if k := bytes.LastIndex(pdf[:at], []byte("/"+SealKey)); k >= 0 {
		if m := sealEntry.FindSubmatchIndex(pdf[k:at]); m != nil && m[0] == 0 {
			seal = shift(m, k)
		}
	}
	return id, seal
}

func shift(m []int, by int) []int {
	out := make([]int, len(m))
	for i, v := range m {
		out[i] = v + by
	}
	return out
}

// blankPlaces writes zeros over the identifier's two halves and the seal,
// where given: what the seal is the digest of.
func blankPlaces(pdf []byte, id, seal []int) {
	if id != nil {
		for _, i := range []int{2, 4} {
			copy(pdf[id[i]:id[i+1]], bytes.Repeat([]byte("0"), id[i+1]-id[i]))
		}
	}
	if seal != nil {
		copy(pdf[seal[2]:seal[3]], sealBlank)
	}
}

// CheckSeal tells whether pdf carries a seal, and whether its bytes are
// those the seal was made for: every byte but the seal's and the
// identifier's is covered by the digest, and the identifier must be the
// digest's first half, as stamp writes it.
func CheckSeal(pdf []byte) (present, intact bool) {
	id, loc := sealPlaces(pdf)
	if loc == nil {
		return false, false
	}
	blank := bytes.Clone(pdf)
	blankPlaces(blank, id, loc)
	sum := sha256.Sum256(blank)
	if string(pdf[loc[2]:loc[3]]) != hex.EncodeToString(sum[:]) {
		return true, false
	}
	if id != nil {
		want := strings.ToUpper(hex.EncodeToString(sum[:16]))
		for _, i := range []int{2, 4} {
			if !strings.EqualFold(string(pdf[id[i]:id[i+1]]), want) {
				return true, false
			}
		}
	}
	return true, true
}

// Info reads the information dictionary of pdf, as text.
func Info(pdf []byte) (map[string]string, error) {
	ctx, err := api.ReadContext(bytes.NewReader(pdf), PdfConf())
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if ctx.Info == nil {
		return out, nil
	}
	d, _ := deref(ctx.XRefTable, *ctx.Info).(types.Dict)
	for k, v := range d {
		if s, err := model.Text(v); err == nil {
			out[k] = s
		}
	}
	return out, nil
}

// PageCount counts the pages of pdf, 0 when it cannot be read.
func PageCount(pdf []byte) int {
	ctx, err := api.ReadContext(bytes.NewReader(pdf), PdfConf())
	if err != nil || ctx.EnsurePageCount() != nil {
		return 0
	}
	return ctx.PageCount
}
