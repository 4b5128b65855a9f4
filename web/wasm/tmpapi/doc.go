// Package tmpapi is TEMPORARY, to be deleted when the in-memory API of
// package assemble lands (assemble.CheckFS, assemble.BuildFS and package
// assemble/model).
//
// Its two packages, tmpapi/assemble and tmpapi/model, provide that API's
// names on top of today's assemble, so that the web page's glue
// (web/wasm/main.go) is written against the final API and runs now. At the
// merge: delete web/wasm/tmpapi and, in web/wasm/main.go, import
// "necdossier/assemble" and "necdossier/assemble/model" instead.
//
// tmpapi/assemble.BuildFS is a copy of the steps of today's assemble.Build
// (without --split and --manifest) reading from an fs.FS and writing
// nothing; its test checks that it gives the same bytes as assemble.Build.
package tmpapi
