package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfDates and pdfID find what pdfcpu stamps on every file it writes: the
// time of writing as CreationDate and ModDate, and a file identifier
// hashed from that time.
var (
	pdfDates    = regexp.MustCompile(`/(CreationDate|ModDate)\s*\(D:[0-9]{14}[-+Z][0-9']*\)`)
	trailerSize = regexp.MustCompile(`/Size\s+\d+`)
	pdfID       = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]`)
)

// pinDates makes a PDF written by pdfcpu reproducible: its dates become t
// (the build's date, SOURCE_DATE_EPOCH when set) and its identifier a
// digest of its content. Every replacement has the same length as what it
// replaces, so the cross-reference offsets stay right; a date whose
// length would change is left as it is.
func PinDates(pdf []byte, t time.Time) []byte {
	out := pdfDates.ReplaceAllFunc(pdf, func(m []byte) []byte {
		key := m[:bytes.IndexByte(m, '(')]
		repl := append(append([]byte{}, key...), "("+types.DateString(t.UTC())+")"...)
		if len(repl) != len(m) {
			return m
		}
		return repl
	})
	loc := pdfID.FindSubmatchIndex(out)
	if loc == nil {
		return out
	}
	blank := bytes.Clone(out)
	for _, i := range []int{2, 4} {
		copy(blank[loc[i]:loc[i+1]], bytes.Repeat([]byte("0"), 32))
	}
	sum := sha256.Sum256(blank)
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	for _, i := range []int{2, 4} {
		copy(out[loc[i]:loc[i+1]], id)
	}
	return out
}

// canonicalPDF rewrites a PDF whose cross-reference is a classic table
// with its objects in the order of their numbers. pdfcpu writes objects in
// the order it walks the document, which follows Go's map order: the same
// document comes out with its objects shuffled from one run to the next.
// Sorted, the bytes are the same every time (reproducible builds).
func CanonicalPDF(pdf []byte) ([]byte, error) {
	bad := func(what string) ([]byte, error) {
		return nil, fmt.Errorf("structure PDF inattendue (%s)", what)
	}
	sx := bytes.LastIndex(pdf, []byte("startxref"))
	if sx < 0 {
		return bad("startxref")
	}
	f := bytes.Fields(pdf[sx+len("startxref"):])
	if len(f) == 0 {
		return bad("startxref")
	}
	xref, err := strconv.Atoi(string(f[0]))
	if err != nil || xref <= 0 || xref >= sx {
		return bad("startxref")
	}
	if !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		return bad("table de références")
	}
	tr := bytes.Index(pdf[xref:], []byte("trailer"))
	if tr < 0 {
		return bad("trailer")
	}
	trailer := bytes.TrimSpace(pdf[xref+tr+len("trailer") : sx])
	// The table: subsections "first count" followed by count 20-byte lines.
	offsets := map[int]int{}
	lines := strings.Fields(string(pdf[xref+len("xref") : xref+tr]))
	for i := 0; i+1 < len(lines); {
		first, err1 := strconv.Atoi(lines[i])
		count, err2 := strconv.Atoi(lines[i+1])
		if err1 != nil || err2 != nil || first < 0 || count < 0 || i+2+3*count > len(lines) {
			return bad("sous-section")
		}
		for k := range count {
			e := lines[i+2+3*k : i+5+3*k]
			if e[2] == "n" {
				off, err := strconv.Atoi(e[0]) // zero-padded decimal, not octal
				if err != nil || off <= 0 || off >= xref {
					return bad("entrée")
				}
				offsets[first+k] = off
			}
		}
		i += 2 + 3*count
	}
	if len(offsets) == 0 {
		return bad("aucun objet")
	}
	nums := slices.Sorted(maps.Keys(offsets))
	starts := slices.Sorted(maps.Values(offsets))
	end := func(off int) int { // an object runs to the next one, or to the table
		i, _ := slices.BinarySearch(starts, off)
		if i+1 < len(starts) {
			return starts[i+1]
		}
		return xref
	}
	var out bytes.Buffer
	out.Grow(len(pdf))
	out.Write(pdf[:starts[0]])
	newOff := make(map[int]int, len(nums))
	for _, n := range nums {
		newOff[n] = out.Len()
		out.Write(pdf[offsets[n]:end(offsets[n])])
	}
	table := out.Len()
	size := nums[len(nums)-1] + 1
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		if off, ok := newOff[n]; ok {
			fmt.Fprintf(&out, "%010d 00000 n \n", off)
		} else {
			out.WriteString("0000000000 00000 f \n")
		}
	}
	// The trailer's /Size is the table's: one more than the highest number.
	trailer = trailerSize.ReplaceAll(trailer, []byte("/Size "+strconv.Itoa(size)))
	fmt.Fprintf(&out, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer, table)
	return out.Bytes(), nil
}
