// Package templates holds the calls for applications that necdossier knows,
// one YAML file per call, embedded in the binary.
package templates

import "embed"

// FS holds every call definition (*.yaml).
//
//go:embed *.yaml
var FS embed.FS

// Default is the file name of the call used when none is chosen.
const Default = "nec-2025.yaml"
