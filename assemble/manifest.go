package assemble

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"necdossier/assemble/model"
	"time"
)

// Manifest records what went into a dossier and what came out, so that a
// reviewer can confirm that the dossier judged is the one that was sent.
type Manifest struct {
	Tool        string         `json:"tool"`
	Call        string         `json:"call"`
	Built       time.Time      `json:"built"`
	Fingerprint string         `json:"fingerprint"` // SHA-256 over the inputs, as printed in the dossier
	Inputs      []ManifestFile `json:"inputs"`
	Outputs     []ManifestFile `json:"outputs"`
	Findings    []ManifestNote `json:"findings"`
	Warnings    []string       `json:"warnings"` // about the build itself: size, deadline
}

// ManifestFile is one file read or written.
type ManifestFile struct {
	Path   string `json:"path"`
	Role   string `json:"role"` // workbook, annex, logo, dossier, annexes, email
	Kind   string `json:"kind"` // xlsx, pdf, jpeg, png, eml
	Pages  int    `json:"pages,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ManifestNote is a finding of the checks.
type ManifestNote struct {
	Severity string `json:"severity"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell,omitempty"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// WriteManifest writes m as indented JSON.
func WriteManifest(w io.Writer, m *Manifest) error {
	if m.Findings == nil {
		m.Findings = []ManifestNote{}
	}
	if m.Warnings == nil {
		m.Warnings = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}

// notes turns findings into the manifest's form.
func notes(fs []model.Finding) []ManifestNote {
	out := make([]ManifestNote, 0, len(fs))
	for _, f := range fs {
		out = append(out, ManifestNote{Severity: f.Severity.String(), Sheet: f.Sheet, Cell: f.Cell, Message: f.Message, Hint: f.Hint})
	}
	return out
}

// fileEntry describes data written or read as a manifest entry.
func fileEntry(path, role, kind string, pages int, data []byte) ManifestFile {
	sum := sha256.Sum256(data)
	return ManifestFile{Path: path, Role: role, Kind: kind, Pages: pages, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}
