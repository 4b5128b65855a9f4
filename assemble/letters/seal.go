package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
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

// sealed returns pdf with the placeholder of its seal and its identifier
// blanked: what the seal is the digest of.
func sealed(pdf []byte) ([]byte, []int, bool) {
	loc := sealEntry.FindSubmatchIndex(pdf)
	if loc == nil {
		return nil, nil, false
	}
	blank := bytes.Clone(pdf)
	copy(blank[loc[2]:loc[3]], sealBlank)
	if id := pdfID.FindSubmatchIndex(blank); id != nil {
		for _, i := range []int{2, 4} {
			copy(blank[id[i]:id[i+1]], bytes.Repeat([]byte("0"), id[i+1]-id[i]))
		}
	}
	return blank, loc, true
}

// CheckSeal tells whether pdf carries a seal, and whether its bytes are
// those the seal was made for.
func CheckSeal(pdf []byte) (present, intact bool) {
	blank, loc, ok := sealed(pdf)
	if !ok {
		return false, false
	}
	sum := sha256.Sum256(blank)
	return true, string(pdf[loc[2]:loc[3]]) == hex.EncodeToString(sum[:])
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
