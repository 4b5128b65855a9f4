package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"necdossier/assemble/tagged"
	"necdossier/fonts"
)

// Annexe describes one annex for the renderer: from the workbook's Annexes
// row and the letter once read.
type Annexe struct {
	Title, Organisation, Signataire, Kind string
	Date                                  time.Time
	File                                  string // file name, shown in the list
	Pages                                 int    // pages the letter adds (known before rendering)
	// Problem says why the annex is not in the dossier (« pièce
	// introuvable »), in a dossier a reviewer regenerated despite errors.
	Problem string
}

// Options is what Render needs besides the candidature and the call.
type Options struct {
	Fonts       fs.FS             // fonts.FS (fonts.Files gives the file per style); nil means fonts.FS
	Created     time.Time         // creation date written in metadata and on the cover (SOURCE_DATE_EPOCH or now)
	Fingerprint string            // hex SHA-256 over inputs, shown on the synthesis page and in metadata
	Annexes     []Annexe          // in workbook order; their pages follow the dossier's pages
	Criteria    []model.Criterion // verdicts shown in the synthesis checklist
	Findings    []model.Finding   // warnings: the first ones are listed on the synthesis page
	Logo        []byte            // logo image bytes (JPEG/PNG) or nil
	AnnexFile   string            // when the annexes are a PDF of their own (build --split), its name
	// Regenerated: the dossier is a reviewer's regeneration from the files
	// received (batch), not the collectivité's own; Received is when they
	// were received (zero: unknown).
	Regenerated bool
	Received    time.Time
}

// Layout is what the letters stage needs after rendering: where things landed.
type Layout struct {
	Pages   int            // pages of the rendered dossier (annex pages excluded)
	Total   int            // Pages + sum of annex pages (N in "page X / N")
	Outline []OutlineEntry // the whole outline incl. one entry per annex (under an « Annexes » entry), pages 1-based in the final document
	Links   []LinkSpot     // rectangles on dossier pages that must jump to annex pages, added by the merge stage
	// Tree is the structure of the dossier's pages (PDF/UA): a Document
	// element whose leaves are the marked content Render wrote and the
	// link annotations, fpdf's and Links (appended after fpdf's on their
	// page). The merge stage adds the letters and writes it.
	Tree  *tagged.Elem
	Title string // the document's title (its metadata)

	bookmarks int // the first entries of Outline, the dossier's own: those the rendered PDF holds
}

// Levels returns the level of each bookmark the rendered PDF holds (the
// dossier's own, the first entries of Outline), in order, or nil when it
// holds none: what letters.Finish needs to count each item's children.
func (l *Layout) Levels() []int {
	var levels []int
	for _, e := range l.Outline[:l.bookmarks] {
		levels = append(levels, e.Level)
	}
	return levels
}

// OutlineEntry is one bookmark of the final document.
type OutlineEntry struct {
	Title string
	Level int // 0 for the top level
	Page  int // 1-based, in the final document
}

// LinkSpot is a clickable rectangle on a dossier page, in PDF points with the
// origin at the bottom-left corner of the page, that must jump to page Target
// of the final document (an annex page, which fpdf cannot link to).
type LinkSpot struct {
	Page       int
	X, Y, W, H float64
	Target     int
}

// emptyText is what an empty field reads, so that every dossier has the same shape.
const emptyText = "Non renseigné"

// Render writes the dossier for c under call (cover, synthesis, table of
// contents, sections, annex list) to w. The annexes' pages are not drawn (the
// merge stage appends them) but are counted in page numbers, the table of
// contents and the outline.
//
// The PDF written carries the outline of its own pages; Layout.Outline is the
// outline of the final document, annexes included, for the merge stage.
// It is the PDF as fpdf writes it: letters.Finish, given Layout.Levels,
// completes it (subset font names, outline counts, compressed pages…).
func Render(w io.Writer, c *model.Candidature, call *model.Call, opt Options) (lay *Layout, err error) {
	if c == nil || call == nil {
		return nil, errors.New("mise en page du dossier : candidature ou appel absent")
	}
	// fpdf panics on some inputs (and so could a bug of ours): a dossier
	// that cannot be drawn is an error, never a crash.
	defer func() {
		if p := recover(); p != nil {
			lay, err = nil, fmt.Errorf("mise en page du dossier : erreur interne : %v", p)
		}
	}()
	if len(opt.Annexes) == 0 {
		// Rendering without the letters read: list the workbook's annexes,
		// with no pages.
		for _, a := range c.Annexes {
			opt.Annexes = append(opt.Annexes, Annexe{Title: a.Titre, Organisation: a.Organisation,
				Signataire: a.Signataire, Kind: a.Type, Date: a.Date, File: a.Fichier})
		}
	}
	r, err := newRenderer(c, call, opt)
	if err != nil {
		return nil, err
	}
	r.layOut()
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("mise en page du dossier : %w", err)
	}
	// Closed first, so that a document fpdf could not finish is an error
	// before anything is written; then written to w without a copy, or
	// handed to an empty bytes.Buffer as its content (a Belrive dossier
	// is 190 kB of fresh pages copied otherwise).
	pdf, err := r.pdf.OutputBytes()
	if err != nil {
		return nil, fmt.Errorf("mise en page du dossier : %w", err)
	}
	if b, ok := w.(*bytes.Buffer); ok && b.Len() == 0 {
		*b = *bytes.NewBuffer(pdf)
	} else if _, err := w.Write(pdf); err != nil {
		return nil, fmt.Errorf("écriture du dossier : %w", err)
	}
	return r.layout(), nil
}

// layOut paginates the dossier and draws its pages. The synthesis is one
// page: when it runs over, it lists fewer findings.
func (r *renderer) layOut() {
	logo := r.logo != ""
	points := maxPoints
	var front *docBuilder
	for ; points > 1; points-- {
		front = frontBlocks(r.c, r.call, &r.opt, logo, points)
		r.paginate(front.blocks)
		if r.marks["sommaire"].page <= 3 {
			break
		}
	}
	if front == nil || front.maxPoints != points {
		front = frontBlocks(r.c, r.call, &r.opt, logo, points)
	}
	// The front pages as paginated last, not made again (issue 15).
	r.paginate(documentAfter(front))
	r.draw()
}

// renderer holds one rendering: the fpdf document, the fragments to place,
// and where they landed.
type renderer struct {
	pdf  *fpdf.Fpdf
	c    *model.Candidature
	call *model.Call
	opt  Options
	logo string // registered image name, "" without a usable logo

	frags []*frag
	pages [][]placedFrag

	anchors   map[string]pageSpot // heading anchor → where it landed
	marks     map[string]pageSpot // other places pagination records
	links     map[string]int      // heading anchor → fpdf internal link
	outline   []OutlineEntry      // dossier entries, in order, then the annexes'
	bookmarks int                 // entries of outline that fpdf wrote (the dossier's)
	spots     []LinkSpot
	header    []string  // running header: the collectivité, the call
	cur       textStyle // font currently selected, to skip redundant SetFont calls
	curOK     bool
	overflows []overflow // strings drawn wider than their room (none, if all is well)
	drawn     []string   // with keepDrawn, every string drawn, in order (for the tests)
	keepDrawn bool
	lineGroup int // last id given to a group of lines
	tags      tagState
	title     string
}

func newRenderer(c *model.Candidature, call *model.Call, opt Options) (*renderer, error) {
	if opt.Fonts == nil {
		opt.Fonts = fonts.FS
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	// Reproducible output: fixed dates, sorted resources, no time.Now.
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	// The cover and the synthesis show the date in the caller's time zone;
	// the metadata, written without zone by fpdf, get it in UTC.
	opt.Created = created
	pdf.SetCreationDate(created.UTC())
	pdf.SetModificationDate(created.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetCompression(false) // letters.Finish compresses the pages
	// The styles the dossier uses: fpdf embeds every font added, even
	// unused, and each costs a parse and a subset. Bold italic is not used.
	for _, st := range []string{"", "B", "I"} {
		name, ok := fonts.Files[st]
		if !ok {
			return nil, fmt.Errorf("mise en page du dossier : police de style %q inconnue", st)
		}
		data, err := fontData(opt.Fonts, name)
		if err != nil {
			return nil, fmt.Errorf("mise en page du dossier : police %s : %w", name, err)
		}
		pdf.AddUTF8FontFromBytes(family, st, data)
	}
	r := &renderer{pdf: pdf, c: c, call: call, opt: opt,
		anchors: map[string]pageSpot{}, marks: map[string]pageSpot{}, links: map[string]int{}}
	r.setFont(stBody)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("mise en page du dossier : polices : %w", err)
	}
	r.logo = r.registerLogo(opt.Logo)

	nom := orEmpty(c.Collectivite.Nom)
	title := french.Typo(safeText(call.Title)) + " — candidature"
	if nom != "" {
		title = french.Typo(safeText(call.Title)) + " — " + nom
	}
	pdf.SetTitle(title, true)
	r.title = title
	pdf.SetAuthor(nom, true)
	subject := call.Subtitle
	if subject == "" {
		subject = "Candidature"
	}
	pdf.SetSubject(french.Typo(safeText(subject)), true)
	kw := []string{french.Typo(safeText(call.Title)), "candidature", nom}
	if opt.Fingerprint != "" {
		kw = append(kw, "empreinte SHA-256 "+opt.Fingerprint)
	}
	pdf.SetKeywords(french.Typo(strings.Join(kw, " ; ")), true)
	pdf.SetCreator("necdossier", true)
	pdf.SetProducer("necdossier (fpdf)", true)
	pdf.SetLang("fr-FR")
	pdf.SetDisplayMode("default", "OneColumn")
	return r, nil
}

// layout reports where things landed.
func (r *renderer) layout() *Layout {
	return &Layout{
		Pages:   len(r.pages),
		Total:   r.total(),
		Outline: r.outline,
		Links:   r.spots,
		Tree:    r.tags.doc,
		Title:   r.title,

		bookmarks: r.bookmarks,
	}
}
