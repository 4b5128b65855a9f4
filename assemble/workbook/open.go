package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// pkg is an opened workbook package.
type pkg struct {
	name     string
	zip      *zip.Reader
	files    map[string]*zip.File // by lower-case part name
	sheets   []sheetRef           // in the workbook's order
	date1904 bool
	sst      []string
	ra       io.ReaderAt
	size     int64
	xl       *excelize.File // opened when needed, see excelize
	xlErr    error
	scratch  []byte  // the last part read by xmlScan
	xs       xmlScan // its scanner, whose buffers serve for every part
	// calcSafe is false when some worksheet has rows or cells beyond the
	// limits: excelize's calculation would expand them, so formulas are
	// not evaluated.
	calcSafe bool
}

type sheetRef struct {
	name, part string
	hidden     bool
}

// openPackage checks that r is a readable xlsx within the limits.
func openPackage(r io.ReaderAt, size int64, name string) (*pkg, error) {
	if size == 0 {
		return nil, fail(name, ErrNotWorkbook, "le fichier est vide")
	}
	if size > maxFileSize {
		return nil, fail(name, ErrTooLarge, "%d Mo, %d Mo au plus ; retirez les images collées dans le classeur", size>>20, maxFileSize>>20)
	}
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if err := sniffWorkbook(r, size, head, name); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fail(name, ErrCorrupt, "l’archive zip est illisible (détail technique : %v) ; enregistrez-le de nouveau depuis votre tableur au format .xlsx", err)
	}
	p := &pkg{name: name, zip: zr, files: map[string]*zip.File{}, calcSafe: true}
	if len(zr.File) > maxParts {
		return nil, fail(name, ErrTooLarge, "%d fichiers dans l’archive, %d au plus", len(zr.File), maxParts)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return nil, fail(name, ErrTooLarge, "plus de %d Mo une fois décompressé ; retirez les images collées dans le classeur", maxUnzipped>>20)
		}
		p.files[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	if mt, ok := p.files["mimetype"]; ok {
		b, _ := p.read(mt.Name)
		if bytes.Contains(b, []byte("opendocument")) {
			return nil, fail(name, ErrNotWorkbook, "c’est un fichier OpenDocument (.ods) ; ouvrez-le dans votre tableur et enregistrez-le au format Excel (.xlsx)")
		}
	}
	if _, ok := p.files["[content_types].xml"]; !ok {
		return nil, fail(name, ErrNotWorkbook, "c’est une archive zip mais pas un classeur Excel ; enregistrez le formulaire au format .xlsx")
	}
	if err := p.workbook(); err != nil {
		return nil, err
	}
	p.ra, p.size = r, size
	return p, nil
}

// excelize returns the package opened by excelize, the engine for formulas
// typed in input cells. It is opened on the first such formula only: most
// workbooks have none, and excelize holds every part in memory.
func (p *pkg) excelize() (*excelize.File, error) {
	if p.xl == nil && p.xlErr == nil {
		p.xl, p.xlErr = openExcelize(p.ra, p.size)
	}
	return p.xl, p.xlErr
}

// openExcelize opens the package with excelize, within the same limits as
// ours. A panic of excelize on a malformed file is an error like any other.
func openExcelize(r io.ReaderAt, size int64) (xl *excelize.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			xl, err = nil, fmt.Errorf("%v", p)
		}
	}()
	return excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped, RawCellValue: true,
	})
}

// sniffWorkbook recognises what the file is when it is not a zip.
func sniffWorkbook(r io.ReaderAt, size int64, head []byte, name string) error {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE2 compound file: a password-protected xlsx (its streams
		// are EncryptionInfo and EncryptedPackage) or an old .xls (its
		// stream is Workbook or Book). Stream names are UTF-16LE.
		all, _ := io.ReadAll(io.NewSectionReader(r, 0, size))
		if bytes.Contains(all, utf16le("EncryptedPackage")) || bytes.Contains(all, utf16le("EncryptionInfo")) {
			return fail(name, ErrEncrypted, "ouvrez-le dans votre tableur, retirez le mot de passe (Fichier › Informations › Protéger le classeur) et enregistrez-le sans mot de passe")
		}
		if bytes.Contains(all, utf16le("Workbook")) || bytes.Contains(all, utf16le("Book")) {
			return fail(name, ErrNotWorkbook, "c’est un classeur Excel 97-2003 (.xls) ; ouvrez-le et enregistrez-le au format .xlsx")
		}
		return fail(name, ErrNotWorkbook, "c’est un ancien document Office ou un classeur protégé par un mot de passe ; enregistrez-le au format .xlsx, sans mot de passe")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return fail(name, ErrNotWorkbook, "c’est un PDF ; donnez le classeur .xlsx de la candidature")
	case looksLikeText(head):
		return fail(name, ErrNotWorkbook, "c’est un fichier texte (CSV ?) ; ouvrez-le dans votre tableur et enregistrez-le au format Excel (.xlsx)")
	}
	return fail(name, ErrNotWorkbook, "format inconnu ; partez du classeur créé par « necdossier init »")
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// looksLikeText reports whether b starts a text file: UTF-8, Latin-1 or
// Windows-1252 (CSV files saved by Excel in France are), or UTF-16 with
// its byte-order mark (Excel's « texte Unicode »).
func looksLikeText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F {
			return false
		}
	}
	return true
}

// read returns the bytes of a part, within the declared size (archive/zip
// refuses data longer than declared, so a lying header cannot inflate it).
func (p *pkg) read(part string) ([]byte, error) {
	return p.readInto(part, nil)
}

// readInto is read into buf's memory when it is large enough: the parts
// read by xmlScan, whose bytes are not kept, share pkg.scratch.
func (p *pkg) readInto(part string, buf []byte) ([]byte, error) {
	f, ok := p.files[strings.ToLower(part)]
	if !ok {
		return nil, fmt.Errorf("partie %s absente", part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// Room for what is declared plus what ReadFrom wants free to see the
	// end: the buffer is not grown.
	if n := min(f.UncompressedSize64, maxUnzipped) + bytes.MinRead + 1; uint64(cap(buf)) < n {
		buf = make([]byte, 0, n)
	}
	b := bytes.NewBuffer(buf[:0])
	_, err = b.ReadFrom(io.LimitReader(rc, maxUnzipped))
	return b.Bytes(), err
}

// open returns a reader of a part, for the worksheets and shared strings
// that xmlScan leaves to encoding/xml, which reads them as a stream.
func (p *pkg) open(part string) (io.ReadCloser, error) {
	f, ok := p.files[strings.ToLower(part)]
	if !ok {
		return nil, fmt.Errorf("partie %s absente", part)
	}
	return f.Open()
}

// workbook reads the sheet list and the date system.
func (p *pkg) workbook() error {
	wbPart := "xl/workbook.xml"
	if b, err := p.read("_rels/.rels"); err == nil {
		rels, err := parseRels(b)
		if err != nil {
			return fail(p.name, ErrCorrupt, "le sommaire de l’archive (_rels/.rels) est illisible (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
		}
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, "/officeDocument") {
				wbPart = strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
			}
		}
	}
	b, err := p.read(wbPart)
	if err != nil {
		return fail(p.name, ErrNotWorkbook, "pas de classeur dans l’archive (%s) ; enregistrez le formulaire au format .xlsx", wbPart)
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			ID    string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			IDs   string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(b, &wb); err != nil {
		return fail(p.name, ErrCorrupt, "la liste des feuilles est illisible (%v)", err)
	}
	p.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPart)
	relPart := path.Join(dir, "_rels", path.Base(wbPart)+".rels")
	rb, err := p.read(relPart)
	if err != nil {
		return fail(p.name, ErrCorrupt, "les liens du classeur vers ses feuilles manquent (%s) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", relPart)
	}
	rels, err := parseRels(rb)
	if err != nil {
		return fail(p.name, ErrCorrupt, "les liens du classeur vers ses feuilles sont illisibles (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
	}
	targets := map[string]string{}
	for _, rel := range rels {
		t := rel.Target
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t)[1:]
		} else {
			t = path.Join(dir, t)
		}
		targets[rel.ID] = t
	}
	for _, s := range wb.Sheets {
		id := s.ID
		if id == "" {
			id = s.IDs
		}
		p.sheets = append(p.sheets, sheetRef{name: s.Name, part: targets[id], hidden: s.State != "" && s.State != "visible"})
	}
	if len(p.sheets) == 0 {
		return fail(p.name, ErrCorrupt, "le classeur n’a aucune feuille")
	}
	// The shared strings are named by the relationships; every producer
	// we know calls them sharedStrings.xml, beside the workbook.
	sstPart := path.Join(dir, "sharedStrings.xml")
	for _, r := range rels {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sstPart = targets[r.ID]
		}
	}
	if _, ok := p.files[strings.ToLower(sstPart)]; ok {
		if p.sst, err = p.sharedStrings(sstPart); err != nil {
			return fail(p.name, ErrCorrupt, "les textes du classeur sont illisibles (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
		}
	}
	return nil
}

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

// parseRels reads a relationships part: with xmlScan, or with
// encoding/xml's Unmarshal where xmlScan is unsure.
func parseRels(b []byte) ([]rel, error) {
	var x xmlScan
	if rels, ok := parseRelsBytes(&x, b); ok {
		return rels, nil
	}
	return unmarshalRels(b)
}

// parseRelsBytes reads the Relationship elements under the root as
// Unmarshal does: by local name, the last of an attribute named twice
// kept, nothing read after the root's end; ok is false where xmlScan is
// unsure.
func parseRelsBytes(x *xmlScan, b []byte) (rels []rel, ok bool) {
	x.reset(b)
	depth := 0
	for {
		switch x.next() {
		case xmlUnsure, xmlEOF:
			return nil, false // Unmarshal says EOF when there is no root
		case xmlStart:
			depth++
			if depth == 2 && string(x.tag.local) == "Relationship" {
				var r rel
				for _, a := range x.tag.attrs {
					switch string(a.local) {
					case "Id":
						r.ID = string(a.value)
					case "Type":
						r.Type = string(a.value)
					case "Target":
						r.Target = string(a.value)
					}
				}
				rels = append(rels, r)
			}
		case xmlEnd:
			depth--
			if depth == 0 {
				return rels, true
			}
		}
	}
}

// unmarshalRels is parseRels with encoding/xml.
func unmarshalRels(b []byte) ([]rel, error) {
	var v struct {
		Rels []rel `xml:"Relationship"`
	}
	err := xml.Unmarshal(b, &v)
	return v.Rels, err
}

// sharedStrings reads the shared strings part, with xmlScan or, where it
// is unsure, with encoding/xml (see xmlscan.go). A part that cannot be
// opened gives none, without error.
func (p *pkg) sharedStrings(part string) ([]string, error) {
	if b, err := p.readInto(part, p.scratch); err == nil {
		p.scratch = b
		if sst, ok := parseSSTBytes(&p.xs, b); ok {
			return sst, nil
		}
	}
	rc, err := p.open(part)
	if err != nil {
		return nil, nil
	}
	defer rc.Close()
	return parseSST(rc)
}

// sstScanner gathers each shared string item's text runs, without the
// phonetic guides (rPh).
type sstScanner struct {
	out       []string
	cur       []byte
	inSI, inT bool
	rph       int
}

func (s *sstScanner) start(local []byte) {
	switch string(local) {
	case "si":
		s.inSI = true
		s.cur = s.cur[:0]
	case "rPh":
		s.rph++
	case "t":
		s.inT = s.inSI && s.rph == 0
	}
}

func (s *sstScanner) end(local []byte) {
	switch string(local) {
	case "si":
		s.out = append(s.out, xstring(s.cur))
		s.inSI = false
	case "rPh":
		s.rph--
	case "t":
		s.inT = false
	}
}

func (s *sstScanner) text(t []byte) {
	if s.inT {
		s.cur = append(s.cur, t...)
	}
}

// parseSSTBytes reads the shared strings with xmlScan; ok is false where
// it leaves them to encoding/xml.
func parseSSTBytes(x *xmlScan, b []byte) (sst []string, ok bool) {
	// Each item takes at least <si><t/></si>; most take more.
	s := sstScanner{out: make([]string, 0, min(len(b)/40, 1<<16))}
	x.reset(b)
	for {
		switch x.next() {
		case xmlUnsure:
			return nil, false
		case xmlEOF:
			return s.out, true
		case xmlStart:
			s.start(x.tag.local)
		case xmlEnd:
			s.end(x.end)
		case xmlText:
			s.text(x.text)
		}
	}
}

// parseSST reads the shared strings with encoding/xml.
func parseSST(r io.Reader) ([]string, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxUnzipped))
	var s sstScanner
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return s.out, nil
		}
		if err != nil {
			return s.out, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.start([]byte(t.Name.Local))
		case xml.EndElement:
			s.end([]byte(t.Name.Local))
		case xml.CharData:
			s.text(t)
		}
	}
}
