// Package model is TEMPORARY (see necdossier/web/wasm/tmpapi): it stands
// for necdossier/assemble/model until that package exists.
package model

import (
	"io/fs"

	"necdossier/assemble"
)

type (
	Call     = assemble.Call
	Finding  = assemble.Finding
	Severity = assemble.Severity
)

const (
	Erreur        = assemble.Erreur
	Avertissement = assemble.Avertissement
)

// LoadCall is assemble.LoadCall.
func LoadCall(fsys fs.FS, name string) (*Call, error) { return assemble.LoadCall(fsys, name) }
