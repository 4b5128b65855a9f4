// Package render lays out the dossier's own pages: a candidature becomes a
// list of semantic blocks (heading, paragraph, list, key-values, table,
// figure with its text alternative, table of contents), which are
// paginated and drawn with the embedded typeface. It also draws the
// reviewers' comparison, the print bundle's front pages and the annexes'
// cover.
//
// It is the only package that imports fpdf. What it returns is the bytes of
// the rendered pages, as fpdf writes them, and their Layout (where each
// entry and annex page falls), from which the letters stage finishes the
// bytes (letters.Finish), numbers the pages and merges.
package render
