package letters

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// defaultMaxBytes is the input size limit used when letters.Options.MaxBytes is zero.
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

	// prepared is the prepared letter: a PDF made by us, kept in memory
	// rather than written and parsed again, whose pages are A4
	// sheets with an empty footer band, each drawing the original page (or
	// image) as a Form XObject. It holds no catalog-level features
	// (no outline, forms, names, actions, attachments, encryption), so Merge
	// only copies page contents and resources from it. Its content is never
	// modified after letters.Read; merges of one Letter take turns (pdfcpu
	// notes the object it dereferences), so it may be merged concurrently.
	prepared *prepared
	// uaProblem says why the letter keeps the dossier from being
	// accessible (PDF/UA), "" when nothing does.
	uaProblem string
}

// prepared is a prepared letter and the lock of those reading it.
type prepared struct {
	sync.Mutex
	ctx   *model.Context
	pages []types.Dict // its page dictionaries, in order
}

// Options tunes letters.Read.
type Options struct {
	MaxBytes int64 // refuse larger inputs (default 50 MB when zero)
	DPI      int   // scans with more pixels than this at their printed size are downsampled (default 200 when zero)
	// MaxPixels refuses larger images before decoding them (default 50 million
	// when zero, i.e. a 48-megapixel phone photo or an A4 page scanned at 850 dpi).
	// Decoding needs about 10 bytes per pixel at peak.
	MaxPixels int
}

func (o Options) maxPixels() int {
	if o.MaxPixels <= 0 {
		return 50_000_000
	}
	return o.MaxPixels
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return defaultMaxBytes
	}
	return o.MaxBytes
}

func (o Options) dpi() int {
	if o.DPI <= 0 {
		return 200
	}
	return o.DPI
}

// Sentinel causes carried by letters.Error.Err; test them with errors.Is.
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

// Error reports why a letter was refused. Its message is French,
// starts lower-case and names the file, e.g.
// « fichier « x.pdf » : protégé par un mot de passe d’ouverture : demandez une version sans mot de passe ».
type Error struct {
	Name   string // file name as given to ReadLetter
	Reason string // French reason, lower-case, without the file name
	Err    error  // cause; wraps one of the ErrLetter* sentinels when known
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("fichier « %s » : %s", e.Name, e.Reason)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func refuse(name string, sentinel error, cause error, reason string) *Error {
	err := sentinel
	if cause != nil {
		err = fmt.Errorf("%w: %w", sentinel, cause)
	}
	return &Error{Name: name, Reason: reason, Err: err}
}

var pdfcpuSetup sync.Once

// PdfConf returns a fresh pdfcpu configuration that never touches the
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

// ReadFile opens path and calls letters.Read with its base name.
func ReadFile(path string, opt Options) (*Letter, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Name: name, Reason: "fichier introuvable ou illisible", Err: err}
	}
	if fi.Size() > opt.maxBytes() {
		return nil, tooLarge(name, fi.Size(), opt.maxBytes())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Name: name, Reason: "fichier illisible", Err: err}
	}
	return Read(name, data, opt)
}

func tooLarge(name string, size, max int64) *Error {
	return refuse(name, ErrLetterTooLarge, nil,
		fmt.Sprintf("fichier trop volumineux (%s, maximum %s) : demandez une version allégée", megabytes(size), megabytes(max)))
}

func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/1e6), ".", ",", 1)
}

// Read reads one letter from its bytes; name is only used in messages.
// It detects the format from the content, refuses what cannot be merged
// faithfully (with a *letters.Error) and prepares the pages to merge.
// It never panics: a panic inside pdfcpu or an image decoder becomes an error.
func Read(name string, data []byte, opt Options) (l *Letter, err error) {
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
