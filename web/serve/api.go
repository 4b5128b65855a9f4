package serve

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
)

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	c := s.cfg.Call
	writeJSON(w, http.StatusOK, map[string]any{
		"call": map[string]any{
			"title":        c.Title,
			"workbookName": c.WorkbookName,
			"deadline":     c.Deadline.Format("2006-01-02"),
			"recipient":    c.Recipient.Email,
		},
		"maxBuild": s.cfg.MaxBuild,
		"maxLot":   s.cfg.MaxLot,
	})
}

func (s *Server) blank(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := workbook.Write(&buf, s.cfg.Call, nil); err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.cfg.Call.WorkbookName+`"`)
	w.Write(buf.Bytes())
}

// candidature reads the files of one candidature into memory: the
// workbook named by the field classeur, its letters beside it.
func (s *Server) candidature(w http.ResponseWriter, r *http.Request) (fstest.MapFS, map[string]string, bool) {
	files := fstest.MapFS{}
	fields, err := form(w, r, s.cfg.MaxBuild, func(name string, body io.Reader) error {
		data, err := io.ReadAll(body)
		if err == nil && !ignored(name) {
			files[name] = &fstest.MapFile{Data: data, Mode: 0o444}
		}
		return err
	})
	if err != nil {
		uploadFailed(w, err)
		return nil, nil, false
	}
	wb, err := cleanPath(fields["classeur"])
	if err != nil {
		uploadFailed(w, err)
		return nil, nil, false
	}
	if files[wb] == nil {
		fail(w, http.StatusBadRequest, "classeur « "+assemble.Printable(fields["classeur"])+" » absent des fichiers envoyés")
		return nil, nil, false
	}
	fields["classeur"] = wb
	return files, fields, true
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	files, fields, ok := s.candidature(w, r)
	if !ok {
		return
	}
	findings, err := assemble.CheckFS(files, fields["classeur"], assemble.Options{Call: s.cfg.Call})
	writeJSON(w, http.StatusOK, map[string]any{"findings": findingsJSON(findings), "error": errText(err)})
}

// part is a file made, for the page; Data goes as base64.
type part struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Pages int    `json:"pages"`
	Data  []byte `json:"data"`
}

func (s *Server) build(w http.ResponseWriter, r *http.Request) {
	files, fields, ok := s.candidature(w, r)
	if !ok {
		return
	}
	start := time.Now()
	res, err := assemble.BuildFS(files, fields["classeur"], assemble.Options{
		Call: s.cfg.Call, Fonts: s.cfg.Fonts, Now: s.now(fields), Email: fields["courriel"] == "1"})
	out := map[string]any{"findings": []finding{}, "warnings": []string{}, "parts": []part{}, "error": errText(err)}
	if res != nil {
		out["findings"] = findingsJSON(res.Findings)
		warnings, parts := []string{}, []part{}
		warnings = append(warnings, res.Warnings...)
		for _, p := range res.Parts {
			parts = append(parts, part{p.Name, p.Role, p.Pages, p.Data})
		}
		out["warnings"], out["parts"] = warnings, parts
	}
	out["ms"] = float64(time.Since(start).Microseconds()) / 1000
	writeJSON(w, http.StatusOK, out)
}

// now is the date written in what is built: the server's when it has one
// (tests, SOURCE_DATE_EPOCH), else the page's clock and time zone (fields
// maintenant, ms since 1970, and decalage, as Date.getTimezoneOffset),
// else now.
func (s *Server) now(fields map[string]string) time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	ms, err := strconv.ParseInt(fields["maintenant"], 10, 64)
	if err != nil {
		return time.Now()
	}
	t := time.UnixMilli(ms)
	off, _ := strconv.Atoi(fields["decalage"])
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", -off*60))
}

// finding is a finding as the page shows it (as web/wasm gives it).
type finding struct {
	Severity string `json:"severity"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Text     string `json:"text"`
	Message  string `json:"message"`
}

func findingsJSON(findings []model.Finding) []finding {
	out := []finding{}
	for _, f := range findings {
		severity := "avertissement"
		if f.Severity == model.Erreur {
			severity = "erreur"
		}
		// What check prints after « erreur : Feuille!B4 : ».
		text := strings.TrimPrefix(f.String(), f.Severity.String()+" : "+f.Place()+" : ")
		out = append(out, finding{severity, f.Sheet, f.Cell, text, f.Message})
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
