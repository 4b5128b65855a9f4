package letters

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	pdffont "github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
)

// Page geometry shared by every prepared letter page, in PDF points.
//
// Design choice: every letter page is fitted onto an A4 sheet (portrait or
// landscape, following the page as it is displayed) instead of keeping its
// own size. Committees print the dossier double-sided on A4; a US Letter,
// A3, US Legal or 33-inch-tall page printed "as is" is cropped or shrunk by
// the printer driver anyway, and a mixed-size PDF is awkward to read on
// screen. The page is drawn as a Form XObject scaled by at most 1 (small
// pages such as A5 keep their natural size, centred) above a reserved band
// at the bottom of the sheet: the footer « page X / N » is printed in that
// band, so it can never cover the letter's content. For an A4 letter the
// price is a 2.4 % reduction.
//
// pdfcpu's resize and N-up were considered (v0.15 source read, not just
// docs). Resize rewrites the page content in place and transforms the
// annotations' Rect and QuadPoints (not InkList), but it keeps the
// annotations themselves — widgets, links and their actions — which we
// must remove anyway, and it knows no footer band. N-up wraps pages into
// Form XObjects but carries no annotation over (nup.go never looks at
// /Annots), so filled-in form values would vanish. We therefore build the
// Form XObject ourselves and flatten the annotations' appearances into the
// sheet (see flattenAnnots).
const (
	a4Short    = 595.276
	a4Long     = 841.89
	bandHeight = 20.0 // footer band at the bottom of each letter page
	footerSize = 8.0  // footer font size
	sideMargin = 28.35
)

// defaultMaxBytes is the input size limit used when LetterOptions.MaxBytes is zero.
const defaultMaxBytes = 50_000_000

// readTimeout bounds the time pdfcpu may spend parsing one letter; pdfcpu
// honours the context while it reads the cross-reference table and objects.
const readTimeout = 20 * time.Second

// Letter is one support letter, read, checked and made harmless, ready to merge.
type Letter struct {
	Name     string   // file name as given (used in messages)
	Kind     string   // "pdf", "jpeg" or "png" (detected from content, not the extension)
	Pages    int      // pages it adds to the dossier
	SHA256   string   // hex SHA-256 of the original bytes
	Size     int64    // original size in bytes
	Warnings []string // French warnings, one sentence each, naming the file

	// pdf is the prepared letter: a PDF written by us whose pages are A4
	// sheets with an empty footer band, each drawing the original page (or
	// image) as a Form XObject. It holds no catalog-level features
	// (no outline, forms, names, actions, attachments, encryption), so Merge
	// only copies page contents and resources from it. It is never
	// modified after ReadLetter, so one Letter may be merged concurrently.
	pdf []byte
}

// LetterOptions tunes ReadLetter.
type LetterOptions struct {
	MaxBytes int64 // refuse larger inputs (default 50 MB when zero)
	DPI      int   // scans with more pixels than this at their printed size are downsampled (default 200 when zero)
	// MaxPixels refuses larger images before decoding them (default 50 million
	// when zero, i.e. a 48-megapixel phone photo or an A4 page scanned at 850 dpi).
	// Decoding needs about 10 bytes per pixel at peak.
	MaxPixels int
}

func (o LetterOptions) maxPixels() int {
	if o.MaxPixels <= 0 {
		return 50_000_000
	}
	return o.MaxPixels
}

func (o LetterOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return defaultMaxBytes
	}
	return o.MaxBytes
}

func (o LetterOptions) dpi() int {
	if o.DPI <= 0 {
		return 200
	}
	return o.DPI
}

// Sentinel causes carried by LetterError.Err; test them with errors.Is.
var (
	ErrLetterEmpty    = errors.New("empty file")
	ErrLetterTooLarge = errors.New("file too large")
	ErrLetterFormat   = errors.New("unknown format")
	ErrLetterNotPDF   = errors.New("not a PDF")
	ErrLetterPassword = errors.New("password required")
	ErrLetterXFA      = errors.New("XFA-only form")
	ErrLetterCorrupt  = errors.New("corrupt file")
	ErrLetterTrunc    = errors.New("truncated file")
	ErrLetterImage    = errors.New("unreadable image")
	ErrLetterPage     = errors.New("degenerate page box")
	ErrLetterBomb     = errors.New("stream too large once decompressed")
)

// Bounds on what a letter may put in the dossier, so that no file
// necdossier writes can make a reader hang: a page side between 1 point
// and 200 inches (PDF's own limit), and a stream that decompresses to at
// most MaxStreamBytes (images: what their pixels need, up to
// maxImageStreamBytes).
const (
	minPageSide         = 1
	maxPageSide         = 14400
	MaxStreamBytes      = 32 << 20
	maxImageStreamBytes = 512 << 20
)

// LetterError reports why a letter was refused. Its message is French,
// starts lower-case and names the file, e.g.
// « fichier « x.pdf » : protégé par un mot de passe d’ouverture : demandez une version sans mot de passe ».
type LetterError struct {
	Name   string // file name as given to ReadLetter
	Reason string // French reason, lower-case, without the file name
	Err    error  // cause; wraps one of the ErrLetter* sentinels when known
}

// Error implements error.
func (e *LetterError) Error() string {
	return fmt.Sprintf("fichier « %s » : %s", e.Name, e.Reason)
}

// Unwrap returns the cause.
func (e *LetterError) Unwrap() error { return e.Err }

func refuse(name string, sentinel error, cause error, reason string) *LetterError {
	err := sentinel
	if cause != nil {
		err = fmt.Errorf("%w: %w", sentinel, cause)
	}
	return &LetterError{Name: name, Reason: reason, Err: err}
}

var pdfcpuSetup sync.Once

// pdfConf returns a fresh pdfcpu configuration that never touches the
// user's configuration directory. model.ConfigPath is pdfcpu's only global
// we set, once; every call gets its own Configuration value.
func PdfConf() *model.Configuration {
	pdfcpuSetup.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.UserPW = ""
	conf.OwnerPW = ""
	conf.WriteObjectStream = true
	conf.WriteXRefStream = true
	conf.Optimize = false
	conf.OptimizeBeforeWriting = false
	return conf
}

// ReadLetterFile opens path and calls ReadLetter with its base name.
func ReadLetterFile(path string, opt LetterOptions) (*Letter, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &LetterError{Name: name, Reason: "fichier introuvable ou illisible", Err: err}
	}
	if fi.Size() > opt.maxBytes() {
		return nil, tooLarge(name, fi.Size(), opt.maxBytes())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &LetterError{Name: name, Reason: "fichier illisible", Err: err}
	}
	return ReadLetter(name, data, opt)
}

func tooLarge(name string, size, max int64) *LetterError {
	return refuse(name, ErrLetterTooLarge, nil,
		fmt.Sprintf("fichier trop volumineux (%s, maximum %s) : demandez une version allégée", megabytes(size), megabytes(max)))
}

func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/1e6), ".", ",", 1)
}

// ReadLetter reads one letter from its bytes; name is only used in messages.
// It detects the format from the content, refuses what cannot be merged
// faithfully (with a *LetterError) and prepares the pages to merge.
// It never panics: a panic inside pdfcpu or an image decoder becomes an error.
func ReadLetter(name string, data []byte, opt LetterOptions) (l *Letter, err error) {
	defer func() {
		if r := recover(); r != nil {
			l = nil
			err = refuse(name, ErrLetterCorrupt, fmt.Errorf("panic: %v", r),
				"fichier endommagé ou illisible : réenregistrez-le ou demandez un nouvel exemplaire")
		}
	}()
	if len(data) == 0 {
		return nil, refuse(name, ErrLetterEmpty, nil, "fichier vide (0 octet) : le fichier a sans doute été mal téléchargé")
	}
	if int64(len(data)) > opt.maxBytes() {
		return nil, tooLarge(name, int64(len(data)), opt.maxBytes())
	}
	l = &Letter{Name: name, Size: int64(len(data)), SHA256: sha256Hex(data)}
	switch l.Kind = Sniff(data); l.Kind {
	case "pdf":
		err = l.bounded(func(w *Letter) error { return w.preparePDF(data) })
	case "jpeg", "png":
		err = l.bounded(func(w *Letter) error { return w.prepareImage(data, opt.dpi(), opt.maxPixels()) })
	default:
		if strings.EqualFold(filepath.Ext(name), ".pdf") {
			return nil, refuse(name, ErrLetterNotPDF, nil,
				"ce n’est pas un PDF malgré son extension .pdf (le contenu ne commence pas par %PDF)")
		}
		return nil, refuse(name, ErrLetterFormat, nil,
			"ni PDF, ni JPEG, ni PNG : enregistrez le document en PDF, ou l’image en JPEG ou PNG")
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// prepareTimeout bounds the whole preparation of one letter. pdfcpu's
// reader honours a context, but its validation and our page copy do not;
// this is the last line of defence against an input that makes them loop.
const prepareTimeout = 60 * time.Second

// bounded runs prepare on a copy of l in its own goroutine and gives up
// after prepareTimeout. On timeout the goroutine is abandoned (Go cannot
// stop it) with its private copy, which the caller never sees; its panics
// are recovered there, since a panic in another goroutine would end the
// program.
func (l *Letter) bounded(prepare func(*Letter) error) error {
	done := make(chan error, 1)
	work := *l
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- refuse(l.Name, ErrLetterCorrupt, fmt.Errorf("panic: %v", r),
					"fichier endommagé ou illisible : réenregistrez-le ou demandez un nouvel exemplaire")
			}
		}()
		done <- prepare(&work)
	}()
	timer := time.NewTimer(prepareTimeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err == nil {
			*l = work
		}
		return err
	case <-timer.C:
		return refuse(l.Name, ErrLetterCorrupt, context.DeadlineExceeded,
			"fichier trop complexe ou malformé (préparation interrompue) : réenregistrez-le ou imprimez-le en PDF")
	}
}

// Sniff names a file's format from its first bytes: "pdf", "jpeg", "png",
// or "" when it is none of them. Like most readers, a PDF header is
// accepted within the first kilobyte (some mail gateways prepend junk).
// Every file a candidate sends is judged by this one rule.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	}
	head := data[:min(len(data), 1024)]
	if bytes.Contains(head, []byte("%PDF-")) {
		return "pdf"
	}
	return ""
}

// warn records a French warning naming the letter, once.
func (l *Letter) warn(format string, args ...any) {
	w := fmt.Sprintf("lettre « %s » : ", l.Name) + fmt.Sprintf(format, args...)
	for _, x := range l.Warnings {
		if x == w {
			return
		}
	}
	l.Warnings = append(l.Warnings, w)
}

// readPDF parses and validates data with pdfcpu (relaxed mode, empty user
// password), bounded by readTimeout.
func readPDF(data []byte) (*model.Context, error) {
	c, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, bytes.NewReader(data), PdfConf())
	if err != nil {
		return nil, err
	}
	if err := validate.XRefTable(ctx); err != nil {
		return nil, &validationError{err}
	}
	return ctx, nil
}

// validationError marks errors found by pdfcpu's validation, after parsing succeeded.
type validationError struct{ err error }

func (e *validationError) Error() string { return e.err.Error() }
func (e *validationError) Unwrap() error { return e.err }

// pdfRefusal turns a pdfcpu error into a French refusal. A file that
// pdfcpu cannot even parse and that ends early (no %%EOF, EOF errors) is
// reported as truncated; anything else, including validation failures, as
// damaged.
func (l *Letter) pdfRefusal(data []byte, err error) *LetterError {
	msg := err.Error()
	var ve *validationError
	validation := errors.As(err, &ve)
	switch {
	case errors.Is(err, pdfcpu.ErrWrongPassword) || strings.Contains(msg, "correct password"):
		return refuse(l.Name, ErrLetterPassword, err,
			"protégé par un mot de passe d’ouverture : demandez une version sans mot de passe")
	case errors.Is(err, errBomb):
		return refuse(l.Name, ErrLetterBomb, err, bombReason)
	case errors.Is(err, context.DeadlineExceeded):
		return refuse(l.Name, ErrLetterCorrupt, err,
			"fichier PDF trop complexe ou malformé (lecture interrompue) : réenregistrez-le ou imprimez-le en PDF")
	case !validation && (strings.Contains(msg, "unexpected eof") || strings.Contains(msg, "EOF") ||
		!bytes.Contains(data[max(0, len(data)-2048):], []byte("%%EOF"))):
		return refuse(l.Name, ErrLetterTrunc, err,
			"fichier PDF tronqué (téléchargement ou copie incomplète) : demandez un nouvel exemplaire")
	}
	return refuse(l.Name, ErrLetterCorrupt, err,
		"fichier PDF endommagé ou illisible : réenregistrez-le ou demandez un nouvel exemplaire")
}

func (l *Letter) preparePDF(data []byte) error {
	src, err := readPDF(data)
	if err != nil {
		return l.pdfRefusal(data, err)
	}
	if src.PageCount < 1 {
		return refuse(l.Name, ErrLetterCorrupt, nil, "le PDF ne contient aucune page")
	}
	cat, err := src.Catalog()
	if err != nil {
		return l.pdfRefusal(data, err)
	}
	if err := l.inspectCatalog(src, cat); err != nil {
		return err
	}
	if src.E != nil {
		if src.E.P&int(model.PermissionAssembleRev3) == 0 {
			l.warn("chiffrée sans mot de passe d’ouverture, et son auteur interdit l’assemblage ; elle a été déchiffrée pour être jointe au dossier (contenu inchangé)")
		} else {
			l.warn("chiffrée sans mot de passe d’ouverture ; elle a été déchiffrée pour être jointe au dossier")
		}
	}

	dst, err := pdfcpu.CreateContextWithXRefTable(PdfConf(), types.PaperSize["A4"])
	if err != nil {
		return err
	}
	cp := newCopier(src.XRefTable, dst.XRefTable)
	var minScale float64 = 1
	var flat flattenStats
	for i := 1; i <= src.PageCount; i++ {
		scale, err := l.copyPage(src, dst, cp, i, &flat)
		var le *LetterError
		if errors.As(err, &le) {
			return le
		}
		if errors.Is(err, errBomb) {
			return refuse(l.Name, ErrLetterBomb, err, fmt.Sprintf("page %d : %s", i, bombReason))
		}
		if err != nil {
			return l.pdfRefusal(data, err)
		}
		minScale = min(minScale, scale)
	}
	if minScale < 0.9 {
		l.warn("pages d’un format plus grand que l’A4, réduites à %d %% pour tenir sur une feuille A4", int(minScale*100))
	}
	if flat.widgets > 0 {
		l.warn("formulaire aplati : les valeurs saisies restent visibles mais ne sont plus modifiables")
	}
	if flat.actions > 0 || cp.dropped > 0 {
		l.warn("liens et actions actives (JavaScript, lancement de programme, adresses web) retirés")
	}
	if flat.attachments > 0 {
		l.warn("pièces jointes intégrées au PDF retirées (seules les pages sont jointes au dossier)")
	}
	if flat.missingAP > 0 {
		l.warn("%d champ(s) de formulaire sans apparence enregistrée : leur valeur risque de ne pas apparaître ; demandez une version imprimée en PDF", flat.missingAP)
	}
	if err := keepLayers(src.XRefTable, cp, cat, dst); err != nil {
		return l.pdfRefusal(data, err)
	}
	l.Pages = src.PageCount
	return l.finish(dst)
}

// keepLayers carries the letter's optional content (layers) over to the
// prepared letter: the groups, which of them are hidden by default, the
// automatic print/view states and the order shown in the layers panel.
// Without it, content the author hid by default (a draft layer, a
// screen-only background) would become visible, because readers show
// content whose group is not declared in the catalog.
func keepLayers(x *model.XRefTable, cp *copier, cat types.Dict, dst *model.Context) error {
	oc, ok := deref(x, cat["OCProperties"]).(types.Dict)
	if !ok {
		return nil
	}
	ocgs, _ := deref(x, oc["OCGs"]).(types.Array)
	d, _ := deref(x, oc["D"]).(types.Dict)
	off, _ := deref(x, d["OFF"]).(types.Array)
	if base, _ := deref(x, d["BaseState"]).(types.Name); base == "OFF" {
		on, _ := deref(x, d["ON"]).(types.Array)
		off = nil
		for _, g := range ocgs {
			if !containsRef(on, g) {
				off = append(off, g)
			}
		}
	}
	out := types.Dict{}
	nd := types.Dict{}
	for key, arr := range map[string]types.Array{"OCGs": ocgs, "OFF": off} {
		c, err := cp.obj(arr, 0)
		if err != nil {
			return err
		}
		if a, ok := c.(types.Array); ok && len(a) > 0 {
			if key == "OCGs" {
				out[key] = a
			} else {
				nd[key] = a
			}
		}
	}
	for _, key := range []string{"AS", "Order"} {
		if v, ok := d[key]; ok {
			c, err := cp.obj(v, 0)
			if err != nil {
				return err
			}
			if a, ok := c.(types.Array); ok && len(a) > 0 {
				nd[key] = a
			}
		}
	}
	if _, ok := out["OCGs"]; !ok {
		return nil
	}
	out["D"] = nd
	dcat, err := dst.Catalog()
	if err != nil {
		return err
	}
	dcat["OCProperties"] = out
	return nil
}

func containsRef(a types.Array, o types.Object) bool {
	r, ok := o.(types.IndirectRef)
	if !ok {
		return false
	}
	for _, e := range a {
		if er, ok := e.(types.IndirectRef); ok && er.ObjectNumber == r.ObjectNumber {
			return true
		}
	}
	return false
}

// mergeLayers adds a prepared letter's optional content properties (already
// copied into ctx) to the document's.
func mergeLayers(ctx *model.Context, oc types.Dict) error {
	cat, err := ctx.Catalog()
	if err != nil {
		return err
	}
	dest, _ := deref(ctx.XRefTable, cat["OCProperties"]).(types.Dict)
	if dest == nil {
		dest = types.Dict{}
		cat["OCProperties"] = dest
	}
	appendTo := func(d types.Dict, key string, v types.Object) {
		a, _ := deref(ctx.XRefTable, v).(types.Array)
		if len(a) == 0 {
			return
		}
		old, _ := deref(ctx.XRefTable, d[key]).(types.Array)
		d[key] = append(append(types.Array{}, old...), a...)
	}
	appendTo(dest, "OCGs", oc["OCGs"])
	dd, _ := deref(ctx.XRefTable, dest["D"]).(types.Dict)
	if dd == nil {
		dd = types.Dict{}
		dest["D"] = dd
	}
	if sd, ok := deref(ctx.XRefTable, oc["D"]).(types.Dict); ok {
		for _, key := range []string{"OFF", "AS", "Order"} {
			appendTo(dd, key, sd[key])
		}
	}
	return nil
}

// inspectCatalog refuses XFA-only forms and records warnings for what the
// preparation drops (document JavaScript, open actions, attachments, signatures).
func (l *Letter) inspectCatalog(src *model.Context, cat types.Dict) error {
	x := src.XRefTable
	if b, ok := deref(x, cat["NeedsRendering"]).(types.Boolean); ok && bool(b) {
		return refuse(l.Name, ErrLetterXFA, nil, xfaReason)
	}
	var dropped []string
	if af, ok := deref(x, cat["AcroForm"]).(types.Dict); ok {
		fields, _ := deref(x, af["Fields"]).(types.Array)
		if _, hasXFA := af["XFA"]; hasXFA && len(fields) == 0 {
			return refuse(l.Name, ErrLetterXFA, nil, xfaReason)
		}
		if hasSignature(x, fields, 0) {
			l.warn("signée électroniquement ; la signature ne survit pas à la fusion (le contenu visible est conservé)")
		}
	}
	if names, ok := deref(x, cat["Names"]).(types.Dict); ok {
		if _, ok := names["JavaScript"]; ok {
			dropped = append(dropped, "JavaScript du document")
		}
		if _, ok := names["EmbeddedFiles"]; ok {
			l.warn("pièces jointes intégrées au PDF retirées (seules les pages sont jointes au dossier)")
		}
	}
	if oa, ok := deref(x, cat["OpenAction"]).(types.Dict); ok {
		if s, _ := deref(x, oa["S"]).(types.Name); s != "GoTo" {
			dropped = append(dropped, "action à l’ouverture")
		}
	}
	if _, ok := cat["AA"]; ok {
		dropped = append(dropped, "actions automatiques")
	}
	if len(dropped) > 0 {
		l.warn("éléments actifs retirés (%s) : la lettre jointe est inerte", strings.Join(dropped, ", "))
	}
	return nil
}

const xfaReason = "formulaire XFA dynamique, lisible seulement dans Adobe Reader (les pages ne contiennent pas le formulaire) : " +
	"ouvrez-le dans Adobe Reader et imprimez-le en PDF, puis joignez ce PDF"

func hasSignature(x *model.XRefTable, fields types.Array, depth int) bool {
	if depth > 32 {
		return false
	}
	for _, f := range fields {
		d, ok := deref(x, f).(types.Dict)
		if !ok {
			continue
		}
		if ft, _ := deref(x, d["FT"]).(types.Name); ft == "Sig" && d["V"] != nil {
			return true
		}
		if kids, ok := deref(x, d["Kids"]).(types.Array); ok && hasSignature(x, kids, depth+1) {
			return true
		}
	}
	return false
}

// deref resolves o (following at most a few indirections) and returns nil on any error.
func deref(x *model.XRefTable, o types.Object) types.Object {
	for range 4 {
		ir, ok := o.(types.IndirectRef)
		if !ok {
			return o
		}
		r, err := x.Dereference(ir)
		if err != nil {
			return nil
		}
		o = r
	}
	return nil
}

func num(x *model.XRefTable, o types.Object) (float64, bool) {
	switch v := deref(x, o).(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		return float64(v), true
	}
	return 0, false
}

func rectOf(x *model.XRefTable, o types.Object) (r [4]float64, ok bool) {
	a, _ := deref(x, o).(types.Array)
	if len(a) != 4 {
		return r, false
	}
	for i := range 4 {
		if r[i], ok = num(x, a[i]); !ok || math.IsNaN(r[i]) || math.IsInf(r[i], 0) {
			return r, false
		}
	}
	return [4]float64{min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])}, true
}

// inherited returns the value of an inheritable page attribute (Resources,
// MediaBox, CropBox, Rotate) for page dictionary pd.
func inherited(x *model.XRefTable, pd types.Dict, key string) types.Object {
	d := pd
	for range 32 {
		if v, ok := d[key]; ok && v != nil {
			return v
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return nil
		}
		d = p
	}
	return nil
}

// paperFor returns the A4 sheet size, landscape when the displayed content is wider than tall.
func paperFor(w, h float64) (float64, float64) {
	if w > h {
		return a4Long, a4Short
	}
	return a4Short, a4Long
}

// placement fits a w×h box into the area of a sheet above the footer band,
// scaled by at most maxScale, centred; it returns the scale and origin.
func placement(w, h, sw, sh, margin, maxScale float64) (s, x, y float64) {
	aw, ah := sw-2*margin, sh-bandHeight-2*margin
	s = min(aw/w, ah/h, maxScale)
	x = (sw - w*s) / 2
	y = bandHeight + margin + (ah-h*s)/2
	return s, x, y
}

// rotation returns the matrix taking the page's visible box b (llx lly urx ury)
// to an upright box with origin (0,0), honouring /Rotate (clockwise degrees),
// and the upright width and height.
func rotation(b [4]float64, rot int) (m [6]float64, w, h float64) {
	llx, lly, urx, ury := b[0], b[1], b[2], b[3]
	w, h = urx-llx, ury-lly
	switch ((rot % 360) + 360) % 360 {
	case 90:
		return [6]float64{0, -1, 1, 0, -lly, urx}, h, w
	case 180:
		return [6]float64{-1, 0, 0, -1, urx, ury}, w, h
	case 270:
		return [6]float64{0, 1, -1, 0, ury, -llx}, h, w
	}
	return [6]float64{1, 0, 0, 1, -llx, -lly}, w, h
}

type flattenStats struct {
	widgets, actions, attachments, missingAP int
}

// copyPage appends to dst an A4 sheet showing page i of src.
//
// The page content becomes a Form XObject (/P) with the page's resources;
// annotations are flattened: the normal appearance of every visible
// annotation (form field values, stamps, ink, highlights) is drawn after
// the page content, exactly where the viewer would draw it, and the
// annotation itself (with its actions, scripts, links, pop-ups) is not
// copied. This keeps what the reader sees and prints while removing
// everything active. Only page contents, resources and appearance streams
// reach dst, through the sanitising copier.
func (l *Letter) copyPage(src, dst *model.Context, cp *copier, i int, st *flattenStats) (float64, error) {
	sx := src.XRefTable
	pd, _, _, err := src.PageDict(i, false)
	if err != nil {
		return 0, err
	}
	// Boxes and rotation are inheritable: read them from the page
	// dictionary or its parents.
	media, ok := rectOf(sx, inherited(sx, pd, "MediaBox"))
	if !ok {
		media = [4]float64{0, 0, 612, 792} // missing MediaBox: readers assume US Letter
	}
	// An empty or absurd page cannot be placed on a sheet: a reader would
	// draw nothing, or divide by zero, or never finish.
	if mw, mh := media[2]-media[0], media[3]-media[1]; mw < minPageSide || mh < minPageSide || mw > maxPageSide || mh > maxPageSide {
		return 0, refuse(l.Name, ErrLetterPage, nil, fmt.Sprintf(
			"page %d : format de page vide ou aberrant (%s × %s points ; attendu entre %g et %g) : réenregistrez la lettre en PDF (Imprimer → Enregistrer au format PDF) ou demandez un nouvel exemplaire",
			i, strconv.FormatFloat(mw, 'f', -1, 64), strconv.FormatFloat(mh, 'f', -1, 64), float64(minPageSide), float64(maxPageSide)))
	}
	box := media
	if c, ok := rectOf(sx, inherited(sx, pd, "CropBox")); ok {
		box = [4]float64{max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3])}
		if box[2]-box[0] < 1 || box[3]-box[1] < 1 {
			box = media
		}
	}
	r, _ := num(sx, inherited(sx, pd, "Rotate"))
	rot, w, h := rotation(box, int(r))

	// The page content as a Form XObject.
	res := inherited(sx, pd, "Resources")
	if res == nil {
		res = types.Dict{}
	}
	cres, err := cp.obj(res, 0)
	if err != nil {
		return 0, err
	}
	if cres == nil {
		cres = types.Dict{}
	}
	content, raw, err := pageContent(sx, pd["Contents"])
	if err != nil {
		return 0, err
	}
	fd := types.Dict{
		"Type":      types.Name("XObject"),
		"Subtype":   types.Name("Form"),
		"BBox":      types.NewNumberArray(box[0], box[1], box[2], box[3]),
		"Resources": cres,
	}
	if g, ok := pd["Group"]; ok {
		if cg, err := cp.obj(g, 0); err == nil && cg != nil {
			fd["Group"] = cg
		}
	}
	var formSD *types.StreamDict
	if content != nil {
		formSD, err = flateStream(fd, content)
		if err != nil {
			return 0, err
		}
	} else {
		formSD, err = cp.stream(fd, raw)
		if err != nil {
			return 0, err
		}
	}
	formRef, err := dst.IndRefForNewObject(*formSD)
	if err != nil {
		return 0, err
	}

	xobjs := types.Dict{"P": *formRef}
	sheetRes := types.Dict{"XObject": xobjs}
	var sb strings.Builder
	sw, sh := paperFor(w, h)
	s, x, y := placement(w, h, sw, sh, 0, 1)
	fmt.Fprintf(&sb, "q %s cm %s cm %s re W n /P Do\n",
		matrix([6]float64{s, 0, 0, s, x, y}), matrix(rot), nums(box[0], box[1], box[2]-box[0], box[3]-box[1]))
	if err := l.flattenAnnots(sx, cp, pd["Annots"], sheetRes, &sb, st); err != nil {
		return 0, err
	}
	sb.WriteString("Q\n")
	if err := addSheet(dst, sw, sh, sheetRes, []byte(sb.String())); err != nil {
		return 0, err
	}
	return s, nil
}

// pageContent returns the page's content: either the stream of its only
// content stream, to be copied without re-encoding, or the decoded and
// concatenated content of a content array.
func pageContent(x *model.XRefTable, o types.Object) (content []byte, raw *types.StreamDict, err error) {
	switch v := deref(x, o).(type) {
	case types.StreamDict:
		return nil, &v, nil
	case types.Array:
		var buf bytes.Buffer
		for _, e := range v {
			sd, ok := deref(x, e).(types.StreamDict)
			if !ok {
				continue
			}
			if tooBig(x, sd.Dict, sd.Raw, sd.FilterPipeline) {
				return nil, nil, errBomb
			}
			if err := sd.Decode(); err != nil {
				return nil, nil, err
			}
			buf.Write(sd.Content)
			buf.WriteByte('\n')
		}
		return buf.Bytes(), nil, nil
	}
	return []byte{}, nil, nil
}

// Annotation flags (PDF 32000-1, 12.5.3).
const (
	annotHidden = 1 << 1
	annotNoView = 1 << 5
)

// flattenAnnots draws the normal appearance of each visible annotation into sb
// (content of the sheet, in the page's coordinate space) and registers the
// appearance streams in res's XObject dictionary. Algorithm of PDF 32000-1
// 12.5.5: the form's BBox, transformed by its Matrix, is mapped onto the
// annotation's Rect. Highlight and ink annotations saved without an
// appearance (fpdf2 writes them so; viewers draw them from their geometry)
// are drawn from their geometry too, see drawMarkup.
func (l *Letter) flattenAnnots(x *model.XRefTable, cp *copier, annots types.Object, res types.Dict, sb *strings.Builder, st *flattenStats) error {
	xobjs := res["XObject"].(types.Dict)
	arr, _ := deref(x, annots).(types.Array)
	for k, a := range arr {
		ad, ok := deref(x, a).(types.Dict)
		if !ok {
			continue
		}
		sub, _ := deref(x, ad["Subtype"]).(types.Name)
		if _, ok := ad["A"]; ok {
			st.actions++
		}
		if _, ok := ad["AA"]; ok {
			st.actions++
		}
		switch sub {
		case "Popup", "Link":
			continue
		case "FileAttachment":
			st.attachments++
		case "Widget":
			st.widgets++
		}
		flags, _ := num(x, ad["F"])
		if int(flags)&(annotHidden|annotNoView) != 0 {
			continue
		}
		ap, _ := deref(x, ad["AP"]).(types.Dict)
		n := deref(x, ap["N"])
		if d, ok := n.(types.Dict); ok {
			as, _ := deref(x, ad["AS"]).(types.Name)
			n = deref(x, d[string(as)])
		}
		if _, ok := n.(types.StreamDict); !ok {
			if sub == "Widget" && fieldValue(x, ad) && fieldType(x, ad) != "Sig" {
				st.missingAP++
			}
			drawMarkup(x, ad, sub, res, sb)
			continue
		}
		apRef := ap["N"]
		if d, ok := deref(x, apRef).(types.Dict); ok {
			as, _ := deref(x, ad["AS"]).(types.Name)
			apRef = d[string(as)]
		}
		sd := n.(types.StreamDict)
		rect, ok := rectOf(x, ad["Rect"])
		if !ok {
			continue
		}
		bbox, ok := rectOf(x, sd.Dict["BBox"])
		if !ok {
			continue
		}
		m := [6]float64{1, 0, 0, 1, 0, 0}
		if ma, _ := deref(x, sd.Dict["Matrix"]).(types.Array); len(ma) == 6 {
			for j := range 6 {
				m[j], _ = num(x, ma[j])
			}
		}
		tb := transformBox(bbox, m)
		bw, bh := tb[2]-tb[0], tb[3]-tb[1]
		if bw < 1e-6 || bh < 1e-6 || rect[2]-rect[0] < 1e-6 || rect[3]-rect[1] < 1e-6 {
			continue
		}
		ax := (rect[2] - rect[0]) / bw
		ay := (rect[3] - rect[1]) / bh
		copied, err := cp.obj(apRef, 0)
		if err != nil {
			return err
		}
		if copied == nil {
			continue
		}
		key := fmt.Sprintf("A%d", k)
		xobjs[key] = copied
		fmt.Fprintf(sb, "q %s cm /%s Do Q\n", matrix([6]float64{ax, 0, 0, ay, rect[0] - tb[0]*ax, rect[1] - tb[1]*ay}), key)
	}
	return nil
}

// drawMarkup draws a Highlight (filled quadrilaterals, multiplied onto the
// page like a highlighter) or an Ink annotation (stroked paths) that has no
// appearance stream, from its QuadPoints or InkList and its colour /C.
func drawMarkup(x *model.XRefTable, ad types.Dict, sub types.Name, res types.Dict, sb *strings.Builder) {
	var fill, stroke string
	if c, _ := deref(x, ad["C"]).(types.Array); len(c) > 0 {
		v := make([]float64, 0, len(c))
		for _, e := range c {
			f, _ := num(x, e)
			v = append(v, min(1, max(0, f)))
		}
		switch len(v) {
		case 1:
			fill, stroke = nums(v...)+" g", nums(v...)+" G"
		case 3:
			fill, stroke = nums(v...)+" rg", nums(v...)+" RG"
		case 4:
			fill, stroke = nums(v...)+" k", nums(v...)+" K"
		}
	}
	if fill == "" {
		return // no colour: the annotation is transparent
	}
	floats := func(o types.Object) []float64 {
		a, _ := deref(x, o).(types.Array)
		v := make([]float64, 0, len(a))
		for _, e := range a {
			if f, ok := num(x, e); ok {
				v = append(v, f)
			}
		}
		return v
	}
	switch sub {
	case "Highlight":
		q := floats(ad["QuadPoints"])
		if len(q) < 8 {
			return
		}
		gs, _ := res["ExtGState"].(types.Dict)
		if gs == nil {
			gs = types.Dict{}
			res["ExtGState"] = gs
		}
		gs["HL"] = types.Dict{"Type": types.Name("ExtGState"), "BM": types.Name("Multiply")}
		fmt.Fprintf(sb, "q /HL gs %s\n", fill)
		for i := 0; i+8 <= len(q); i += 8 {
			// Points are upper-left, upper-right, lower-left, lower-right.
			fmt.Fprintf(sb, "%s m %s l %s l %s l h f\n", nums(q[i], q[i+1]), nums(q[i+2], q[i+3]), nums(q[i+6], q[i+7]), nums(q[i+4], q[i+5]))
		}
		sb.WriteString("Q\n")
	case "Ink":
		w := 1.0
		if bs, ok := deref(x, ad["BS"]).(types.Dict); ok {
			if f, ok := num(x, bs["W"]); ok {
				w = f
			}
		}
		paths, _ := deref(x, ad["InkList"]).(types.Array)
		fmt.Fprintf(sb, "q %s w 1 J 1 j %s\n", nums(w), stroke)
		for _, p := range paths {
			pts := floats(p)
			for i := 0; i+2 <= len(pts); i += 2 {
				op := "l"
				if i == 0 {
					op = "m"
				}
				fmt.Fprintf(sb, "%s %s ", nums(pts[i], pts[i+1]), op)
			}
			if len(pts) >= 2 {
				sb.WriteString("S\n")
			}
		}
		sb.WriteString("Q\n")
	}
}

// fieldType returns the field type of a widget, inherited from its parents.
func fieldType(x *model.XRefTable, d types.Dict) types.Name {
	for range 16 {
		if ft, ok := deref(x, d["FT"]).(types.Name); ok {
			return ft
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return ""
		}
		d = p
	}
	return ""
}

// fieldValue tells whether a widget's field (or a parent) has a value.
func fieldValue(x *model.XRefTable, d types.Dict) bool {
	for range 16 {
		if d["V"] != nil {
			return true
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return false
		}
		d = p
	}
	return false
}

func transformBox(b [4]float64, m [6]float64) [4]float64 {
	r := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [][2]float64{{b[0], b[1]}, {b[0], b[3]}, {b[2], b[1]}, {b[2], b[3]}} {
		x := m[0]*p[0] + m[2]*p[1] + m[4]
		y := m[1]*p[0] + m[3]*p[1] + m[5]
		r = [4]float64{min(r[0], x), min(r[1], y), max(r[2], x), max(r[3], y)}
	}
	return r
}

func nums(v ...float64) string {
	s := make([]string, len(v))
	for i, f := range v {
		s[i] = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
		if s[i] == "-0" || s[i] == "" {
			s[i] = "0"
		}
	}
	return strings.Join(s, " ")
}

func matrix(m [6]float64) string { return nums(m[:]...) }

// flateStream returns a stream with dictionary d and content, Flate-encoded
// unless it is tiny: footers and sheet contents are a few hundred bytes,
// where setting up a compressor costs more time than the bytes are worth.
func flateStream(d types.Dict, content []byte) (*types.StreamDict, error) {
	sd := types.StreamDict{Dict: d, Content: content}
	if len(content) > 1024 {
		sd.FilterPipeline = []types.PDFFilter{{Name: "FlateDecode"}}
		sd.Dict["Filter"] = types.Name("FlateDecode")
	}
	if err := sd.Encode(); err != nil {
		return nil, err
	}
	return &sd, nil
}

// addSheet appends a page of size w×h with resources res and content to ctx's page tree root.
func addSheet(ctx *model.Context, w, h float64, res types.Dict, content []byte) error {
	cs, err := flateStream(types.Dict{}, content)
	if err != nil {
		return err
	}
	csRef, err := ctx.IndRefForNewObject(*cs)
	if err != nil {
		return err
	}
	_, err = appendPage(ctx, types.NewNumberArray(0, 0, w, h), res, *csRef)
	return err
}

// appendPage appends a page to the root node of ctx's page tree. Pages are
// appended directly under the root, so they inherit nothing: every page
// we add carries its own MediaBox and Resources.
func appendPage(ctx *model.Context, mediaBox types.Array, res types.Dict, contents types.Object) (*types.IndirectRef, error) {
	root, err := ctx.Pages()
	if err != nil {
		return nil, err
	}
	pages, err := ctx.DereferenceDict(*root)
	if err != nil || pages == nil {
		return nil, fmt.Errorf("arbre des pages : %v", err)
	}
	pd := types.Dict{
		"Type":      types.Name("Page"),
		"Parent":    *root,
		"MediaBox":  mediaBox,
		"Resources": res,
		"Contents":  contents,
		"Rotate":    types.Integer(0),
	}
	ref, err := ctx.IndRefForNewObject(pd)
	if err != nil {
		return nil, err
	}
	kids, _ := deref(ctx.XRefTable, pages["Kids"]).(types.Array)
	pages["Kids"] = append(kids, *ref)
	count, _ := num(ctx.XRefTable, pages["Count"])
	pages["Count"] = types.Integer(int(count) + 1)
	ctx.PageCount++
	return ref, nil
}

// finish writes the prepared letter.
func (l *Letter) finish(dst *model.Context) error {
	var buf bytes.Buffer
	if err := api.WriteContext(dst, &buf); err != nil {
		return &LetterError{Name: l.Name, Reason: "préparation impossible (erreur interne)", Err: err}
	}
	l.pdf = buf.Bytes()
	return nil
}

// copier deep-copies objects from one cross-reference table into another,
// keeping shared objects shared (memo) and refusing everything active.
//
// It is the security boundary of the package: only what it returns reaches
// the dossier. It drops dictionary keys that carry actions, scripts,
// navigation or document structure (A, AA, JS, OpenAction, Annots, Parent,
// P, Names, EmbeddedFiles, outlines links, …), external stream data (F),
// and whole dictionaries that are actions or file specifications. Page
// resources, fonts, images, form XObjects, patterns and shadings never need
// these keys, so the visible content is unaffected.
type copier struct {
	src, dst *model.XRefTable
	memo     map[int]types.IndirectRef
	dropped  int // active dictionaries removed
}

func newCopier(src, dst *model.XRefTable) *copier {
	return &copier{src: src, dst: dst, memo: map[int]types.IndirectRef{}}
}

var droppedKeys = map[string]bool{
	"A": true, "AA": true, "JS": true, "OpenAction": true, "Annots": true,
	"Parent": true, "P": true, "Names": true, "EmbeddedFiles": true, "EF": true,
	"Outlines": true, "Dests": true, "AcroForm": true, "Kids": true,
	"First": true, "Last": true, "Next": true, "Prev": true, "Threads": true,
	"B": true, "StructTreeRoot": true, "PieceInfo": true, "OPI": true,
	"FFilter": true, "FDecodeParms": true, "URI": true, "Launch": true,
}

var activeTypes = map[string]bool{
	"Action": true, "Filespec": true, "EmbeddedFile": true, "Annot": true,
	"Page": true, "Pages": true, "Catalog": true, "Sig": true, "Outlines": true,
}

var actionNames = map[string]bool{
	"JavaScript": true, "Launch": true, "URI": true, "SubmitForm": true, "ImportData": true,
	"ResetForm": true, "GoToR": true, "GoToE": true, "Rendition": true, "Sound": true,
	"Movie": true, "Hide": true, "Named": true, "SetOCGState": true, "Trans": true,
	"GoTo3DView": true, "RichMediaExecute": true, "Thread": true, "GoTo": true,
}

const maxCopyDepth = 64

func (c *copier) active(d types.Dict) bool {
	if t, ok := deref(c.src, d["Type"]).(types.Name); ok && activeTypes[string(t)] {
		return true
	}
	if s, ok := deref(c.src, d["S"]).(types.Name); ok && actionNames[string(s)] {
		return true
	}
	_, js := d["JS"]
	return js
}

// nameMapKeys are the keys whose value is a dictionary of names chosen by
// the producer (resource names, glyph names): their keys are data, not
// PDF keywords, and are never dropped (a font may well be called /A or /P).
var nameMapKeys = map[string]bool{
	"Font": true, "XObject": true, "ExtGState": true, "ColorSpace": true, "Pattern": true,
	"Shading": true, "Properties": true, "CharProcs": true, "Colorants": true,
}

func (c *copier) obj(o types.Object, depth int) (types.Object, error) {
	return c.objIn(o, depth, false)
}

// objIn copies o; nameMap tells that o is a name-keyed dictionary (see nameMapKeys).
func (c *copier) objIn(o types.Object, depth int, nameMap bool) (types.Object, error) {
	if depth > maxCopyDepth {
		return nil, errors.New("objets imbriqués trop profondément")
	}
	switch v := o.(type) {
	case types.IndirectRef:
		nr := int(v.ObjectNumber)
		if r, ok := c.memo[nr]; ok {
			return r, nil
		}
		so, err := c.src.Dereference(v)
		if err != nil {
			return nil, err
		}
		if so == nil {
			return nil, nil
		}
		if d, ok := so.(types.Dict); ok && c.active(d) {
			c.dropped++
			return nil, nil
		}
		ref, err := c.dst.IndRefForNewObject(nil)
		if err != nil {
			return nil, err
		}
		c.memo[nr] = *ref
		co, err := c.objIn(so, depth+1, nameMap)
		if err != nil {
			return nil, err
		}
		if co == nil {
			co = types.Dict{}
		}
		c.dst.Table[int(ref.ObjectNumber)].Object = co
		return *ref, nil
	case types.Dict:
		if nameMap {
			return c.nameMap(v, depth)
		}
		if c.active(v) {
			c.dropped++
			return nil, nil
		}
		return c.dict(v, depth)
	case types.Array:
		a := make(types.Array, 0, len(v))
		for _, e := range v {
			ce, err := c.obj(e, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, ce)
		}
		return a, nil
	case types.StreamDict:
		if c.active(v.Dict) {
			c.dropped++
			return nil, nil
		}
		d := make(types.Dict, len(v.Dict))
		for k, e := range v.Dict {
			if !streamKeys[k] {
				d[k] = e
			}
		}
		nd, err := c.dict(d, depth)
		if err != nil {
			return nil, err
		}
		sd, err := c.stream(nd, &v)
		if err != nil {
			return nil, err
		}
		return *sd, nil
	case types.LazyObjectStreamObject:
		return nil, errors.New("objet non résolu")
	}
	return o, nil
}

func (c *copier) nameMap(v types.Dict, depth int) (types.Dict, error) {
	d := make(types.Dict, len(v))
	for _, k := range slices.Sorted(maps.Keys(v)) {
		e := v[k]
		ce, err := c.obj(e, depth+1)
		if err != nil {
			return nil, err
		}
		if ce != nil {
			d[k] = ce
		}
	}
	return d, nil
}

func (c *copier) dict(v types.Dict, depth int) (types.Dict, error) {
	d := make(types.Dict, len(v))
	// In key order: objects are numbered as they are copied, and the same
	// letter must give the same bytes (reproducible builds).
	for _, k := range slices.Sorted(maps.Keys(v)) {
		e := v[k]
		if droppedKeys[k] {
			continue
		}
		ce, err := c.objIn(e, depth+1, nameMapKeys[k])
		if err != nil {
			return nil, err
		}
		if ce != nil {
			d[k] = ce
		}
	}
	return d, nil
}

// stream builds, in dst, a stream whose dictionary is d (already in dst's
// numbering) plus the filters of src, sharing src's still-encoded bytes
// (they are never modified). When src is nil the stream is empty.
func (c *copier) stream(d types.Dict, src *types.StreamDict) (*types.StreamDict, error) {
	var raw []byte
	var pipeline []types.PDFFilter
	if src != nil {
		if tooBig(c.src, src.Dict, src.Raw, src.FilterPipeline) {
			return nil, errBomb
		}
		raw = src.Raw
		if src.HasSoleFilterNamed("FlateDecode") && src.Dict["DecodeParms"] == nil {
			raw = repairFlate(raw)
		}
		for _, k := range []string{"Filter", "DecodeParms"} {
			if f, ok := src.Dict[k]; ok {
				cf, err := c.obj(f, 1)
				if err != nil {
					return nil, err
				}
				if cf != nil {
					d[k] = cf
				}
			}
		}
		for _, f := range src.FilterPipeline {
			nf := types.PDFFilter{Name: f.Name}
			if f.DecodeParms != nil {
				dp, err := c.dict(f.DecodeParms, 1)
				if err != nil {
					return nil, err
				}
				nf.DecodeParms = dp
			}
			pipeline = append(pipeline, nf)
		}
	}
	n := int64(len(raw))
	d["Length"] = types.Integer(n)
	return &types.StreamDict{Dict: d, Raw: raw, StreamLength: &n, FilterPipeline: pipeline}, nil
}

var bombReason = fmt.Sprintf("contenu anormal : un flux se décompresse en plus de %d Mo (une lecture du dossier pourrait ne jamais finir) ; réenregistrez la lettre en PDF (Imprimer → Enregistrer au format PDF) ou demandez un nouvel exemplaire", MaxStreamBytes>>20)

// errBomb is a stream that decompresses beyond the bounds: the letter is
// refused rather than passed on to make readers hang.
var errBomb = errors.New("stream too large once decompressed")

// tooBig reports whether a stream compressed with FlateDecode (first or
// only filter) decompresses to more than it may: MaxStreamBytes, or for an
// image what its pixels need (8 bytes a pixel at most, 16-bit CMYK), plus
// a margin. It decompresses into nothing, stopping past the bound.
func tooBig(x *model.XRefTable, d types.Dict, raw []byte, pipeline []types.PDFFilter) bool {
	if len(pipeline) == 0 || pipeline[0].Name != "FlateDecode" {
		return false
	}
	limit := int64(MaxStreamBytes)
	if t, _ := deref(x, d["Subtype"]).(types.Name); t == "Image" {
		w, _ := num(x, d["Width"])
		h, _ := num(x, d["Height"])
		if need := w*h*8 + (1 << 20); need > float64(limit) {
			limit = int64(min(need, maxImageStreamBytes))
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return false // not ours to judge: readers will find it broken, not big
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, limit+1))
	return n > limit
}

// repairFlate re-encodes a zlib stream that stops after a sync flush
// (…00 00 FF FF, no final block), as some Acrobat versions write appearance
// streams. Readers decode them, but poppler reports a syntax error for each;
// the repaired stream has the same content and a proper end.
func repairFlate(raw []byte) []byte {
	if !bytes.HasSuffix(bytes.TrimRight(raw, "\r\n"), []byte{0, 0, 0xff, 0xff}) {
		return raw
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return raw
	}
	content, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return raw
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(content)
	if zw.Close() != nil {
		return raw
	}
	return buf.Bytes()
}

// streamKeys are set by stream from the source stream itself; F, FFilter
// and FDecodeParms (external data) are never copied.
var streamKeys = map[string]bool{"Length": true, "Filter": true, "DecodeParms": true, "DL": true, "F": true}

// Bookmark is one outline entry of the final document; Page is 1-based in the final document.
type Bookmark struct {
	Title string
	Page  int
	Kids  []Bookmark
}

// PageLink is a clickable rectangle on a dossier page that jumps to a page of the final document.
type PageLink struct {
	Page       int
	X, Y, W, H float64 // PDF points, origin bottom-left
	Target     int
}

// MergePlan says how Merge finishes the document.
type MergePlan struct {
	Outline []Bookmark                   // replaces the whole outline of the result (nil keeps the dossier's)
	Links   []PageLink                   // added to dossier pages (the TOC links to the annexes)
	Footer  func(page, total int) string // text stamped on letter pages, e.g. "page 12 / 40"; nil -> "page X / N"
	Label   func(letterIndex int) string // optional short text for the band, e.g. "Annexe 2 – Lettre de la Région"
}

// MergeError reports a failure of Merge that is not tied to one letter
// (unreadable dossier, plan pointing outside the document, write error).
type MergeError struct {
	Reason string // French, lower-case
	Err    error
}

// Error implements error.
func (e *MergeError) Error() string { return "fusion du dossier impossible : " + e.Reason }

// Unwrap returns the cause.
func (e *MergeError) Unwrap() error { return e.Err }

// footerFont is the resource name of the footer font on letter pages.
const footerFont = "NecFooter"

// Merge writes to w the dossier (a PDF rendered by us, dossier pages first)
// followed by every letter's pages, stamps the footer on each letter page in
// the band reserved below the letter's content, replaces the outline with
// plan.Outline and adds plan.Links.
//
// The dossier is trusted (we rendered it) and kept as is, except that its
// catalog loses any OpenAction/AA so the result opens inert. Letters were
// made harmless by ReadLetter; their pages are copied through the same
// sanitising copier. Merge never panics and does not modify the letters,
// so several Merge calls may share them concurrently.
func Merge(w io.Writer, dossier io.ReadSeeker, letters []*Letter, plan MergePlan) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &MergeError{Reason: "erreur interne", Err: fmt.Errorf("panic: %v", r)}
		}
	}()
	c, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, dossier, PdfConf())
	if err != nil {
		return &MergeError{Reason: "le PDF du dossier est illisible", Err: err}
	}
	if err := validate.XRefTable(ctx); err != nil {
		return &MergeError{Reason: "le PDF du dossier est invalide", Err: err}
	}
	total := ctx.PageCount
	for i, l := range letters {
		if l == nil || len(l.pdf) == 0 {
			return &MergeError{Reason: fmt.Sprintf("lettre n° %d non préparée (utilisez ReadLetter)", i+1)}
		}
		total += l.Pages
	}
	refs := make([]types.IndirectRef, 0, total)
	dicts := make([]types.Dict, 0, total)
	for i := 1; i <= ctx.PageCount; i++ {
		d, ref, _, err := ctx.PageDict(i, false)
		if err != nil {
			return &MergeError{Reason: "pages du dossier illisibles", Err: err}
		}
		refs, dicts = append(refs, *ref), append(dicts, d)
	}
	font, err := ctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
		"BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding"),
	})
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	for li, l := range letters {
		label := ""
		if plan.Label != nil {
			label = plan.Label(li)
		}
		if err := mergeLetter(ctx, l, *font, label, plan.Footer, total, &refs, &dicts); err != nil {
			return err
		}
	}
	if len(refs) != total {
		return &MergeError{Reason: fmt.Sprintf("nombre de pages incohérent (%d au lieu de %d)", len(refs), total)}
	}
	if err := addLinks(ctx, plan.Links, refs, dicts); err != nil {
		return err
	}
	if err := setOutline(ctx, plan.Outline, refs); err != nil {
		return err
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	delete(cat, "OpenAction")
	delete(cat, "AA")
	// A classic cross-reference table and no object streams, so that
	// canonicalPDF can put the objects in order: same inputs, same bytes.
	ctx.Configuration.WriteObjectStream = false
	ctx.Configuration.WriteXRefStream = false
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return &MergeError{Reason: "écriture du PDF impossible", Err: err}
	}
	out, err := CanonicalPDF(buf.Bytes())
	if err != nil {
		return &MergeError{Reason: "écriture du PDF impossible", Err: err}
	}
	if _, err := w.Write(out); err != nil {
		return &MergeError{Reason: "écriture du PDF impossible", Err: err}
	}
	return nil
}

func mergeLetter(ctx *model.Context, l *Letter, font types.IndirectRef, label string, footer func(int, int) string,
	total int, refs *[]types.IndirectRef, dicts *[]types.Dict) error {
	// The prepared letter was written by us: parse it without validation.
	lc, err := pdfcpu.Read(bytes.NewReader(l.pdf), PdfConf())
	if err == nil {
		err = lc.EnsurePageCount()
	}
	if err != nil {
		return &LetterError{Name: l.Name, Reason: "lettre préparée illisible (erreur interne)", Err: err}
	}
	if lc.PageCount != l.Pages {
		return &LetterError{Name: l.Name, Reason: "nombre de pages incohérent (erreur interne)"}
	}
	cp := newCopier(lc.XRefTable, ctx.XRefTable)
	for p := 1; p <= lc.PageCount; p++ {
		pd, _, _, err := lc.PageDict(p, false)
		if err != nil {
			return &LetterError{Name: l.Name, Reason: "lettre préparée illisible (erreur interne)", Err: err}
		}
		mb, ok := rectOf(lc.XRefTable, pd["MediaBox"])
		if !ok {
			return &LetterError{Name: l.Name, Reason: "lettre préparée illisible (erreur interne)"}
		}
		res, err := cp.obj(pd["Resources"], 0)
		if err != nil {
			return &LetterError{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		rd, ok := deref(ctx.XRefTable, res).(types.Dict)
		if !ok {
			rd = types.Dict{}
		}
		rd = rd.Clone().(types.Dict)
		rd["Font"] = types.Dict{footerFont: font}
		content, err := cp.obj(pd["Contents"], 0)
		if err != nil {
			return &LetterError{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		page := len(*refs) + 1
		text := fmt.Sprintf("page %d / %d", page, total)
		if footer != nil {
			text = footer(page, total)
		}
		fs, err := flateStream(types.Dict{}, footerContent(mb[2]-mb[0], label, text))
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		fref, err := ctx.IndRefForNewObject(*fs)
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		ref, err := appendPage(ctx, types.NewNumberArray(mb[:]...), rd, types.Array{content, *fref})
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		d, _ := deref(ctx.XRefTable, *ref).(types.Dict)
		*refs, *dicts = append(*refs, *ref), append(*dicts, d)
	}
	if lcat, err := lc.Catalog(); err == nil && lcat["OCProperties"] != nil {
		oc, err := cp.obj(lcat["OCProperties"], 0)
		if err != nil {
			return &LetterError{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		if d, ok := oc.(types.Dict); ok {
			if err := mergeLayers(ctx, d); err != nil {
				return &MergeError{Reason: "erreur interne", Err: err}
			}
		}
	}
	return nil
}

var winAnsi = encoding.ReplaceUnsupported(charmap.Windows1252.NewEncoder())

// pdfText encodes s in WinAnsi (the encoding of the footer font) as a PDF
// literal string; characters outside WinAnsi become "?".
func pdfText(s string) (string, string) {
	s = strings.NewReplacer("\u202f", " ", "\u2009", " ", "\u00a0", " ").Replace(s)
	b, err := winAnsi.String(s)
	if err != nil {
		b = strings.Map(func(r rune) rune {
			if r < 0x80 {
				return r
			}
			return '?'
		}, s)
	}
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`, "\r", `\r`, "\n", `\n`).Replace(b)
	return b, "(" + esc + ")"
}

func textWidth(enc string) float64 {
	w, err := pdffont.TextWidthFloat(enc, "Helvetica", footerSize)
	if err != nil {
		return float64(len(enc)) * footerSize * 0.6
	}
	return w
}

// footerContent draws the label (left) and the page text (right) in the
// band, in grey, with Helvetica (no font embedded: a standard-14 font is
// enough for "page 12 / 40" and keeps the output small).
func footerContent(width float64, label, text string) []byte {
	tEnc, tLit := pdfText(text)
	tw := textWidth(tEnc)
	baseline := (bandHeight - footerSize) / 2
	var sb strings.Builder
	sb.WriteString("q 0.35 g BT /" + footerFont + " " + nums(footerSize) + " Tf\n")
	if label != "" {
		room := width - 2*sideMargin - tw - 12
		lEnc, lLit := pdfText(label)
		if textWidth(lEnc) > room {
			r := []rune(label)
			for len(r) > 0 {
				r = r[:len(r)-1]
				lEnc, lLit = pdfText(strings.TrimSpace(string(r)) + "…")
				if textWidth(lEnc) <= room {
					break
				}
			}
		}
		if textWidth(lEnc) <= room {
			fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\n", nums(sideMargin, baseline), lLit)
		}
	}
	fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\nET Q\n", nums(width-sideMargin-tw, baseline), tLit)
	return []byte(sb.String())
}

func addLinks(ctx *model.Context, links []PageLink, refs []types.IndirectRef, dicts []types.Dict) error {
	for _, pl := range links {
		if pl.Page < 1 || pl.Page > len(refs) || pl.Target < 1 || pl.Target > len(refs) {
			return &MergeError{Reason: fmt.Sprintf("lien de la page %d vers la page %d hors du document (%d pages)", pl.Page, pl.Target, len(refs))}
		}
		ann, err := ctx.IndRefForNewObject(types.Dict{
			"Type":    types.Name("Annot"),
			"Subtype": types.Name("Link"),
			"Rect":    types.NewNumberArray(pl.X, pl.Y, pl.X+pl.W, pl.Y+pl.H),
			"Border":  types.NewIntegerArray(0, 0, 0),
			"Dest":    types.Array{refs[pl.Target-1], types.Name("Fit")},
			"P":       refs[pl.Page-1],
		})
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		d := dicts[pl.Page-1]
		switch a := d["Annots"].(type) {
		case types.IndirectRef:
			arr, _ := deref(ctx.XRefTable, a).(types.Array)
			ctx.Table[int(a.ObjectNumber)].Object = append(arr, *ann)
		case types.Array:
			d["Annots"] = append(a, *ann)
		default:
			d["Annots"] = types.Array{*ann}
		}
	}
	return nil
}

// setOutline replaces the document outline. Titles are written as UTF-16BE
// with a byte-order mark, which every reader supports for any character.
func setOutline(ctx *model.Context, bms []Bookmark, refs []types.IndirectRef) error {
	if bms == nil {
		return nil
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	delete(cat, "Outlines")
	if len(bms) == 0 {
		return nil
	}
	root := types.Dict{"Type": types.Name("Outlines")}
	rootRef, err := ctx.IndRefForNewObject(root)
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	first, last, count, err := outlineItems(ctx, bms, *rootRef, refs, 0)
	if err != nil {
		return err
	}
	root["First"], root["Last"], root["Count"] = first, last, types.Integer(count)
	cat["Outlines"] = *rootRef
	cat["PageMode"] = types.Name("UseOutlines")
	return nil
}

func outlineItems(ctx *model.Context, bms []Bookmark, parent types.IndirectRef, refs []types.IndirectRef, depth int) (first, last types.IndirectRef, count int, err error) {
	if depth > 16 {
		return first, last, 0, &MergeError{Reason: "signets imbriqués trop profondément"}
	}
	var prev types.Dict
	var prevRef types.IndirectRef
	for i, bm := range bms {
		if bm.Page < 1 || bm.Page > len(refs) {
			return first, last, 0, &MergeError{Reason: fmt.Sprintf("signet « %s » vers la page %d hors du document (%d pages)", bm.Title, bm.Page, len(refs))}
		}
		d := types.Dict{
			"Title":  utf16Text(bm.Title),
			"Parent": parent,
			"Dest":   types.Array{refs[bm.Page-1], types.Name("Fit")},
		}
		ref, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return first, last, 0, &MergeError{Reason: "erreur interne", Err: err}
		}
		count++
		if len(bm.Kids) > 0 {
			f, l, n, err := outlineItems(ctx, bm.Kids, *ref, refs, depth+1)
			if err != nil {
				return first, last, 0, err
			}
			d["First"], d["Last"], d["Count"] = f, l, types.Integer(n)
			count += n
		}
		if i == 0 {
			first = *ref
		} else {
			prev["Next"] = *ref
			d["Prev"] = prevRef
		}
		prev, prevRef = d, *ref
	}
	return first, prevRef, count, nil
}

func utf16Text(s string) types.HexLiteral {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xfe, 0xff
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return types.NewHexLiteral(b)
}
