// Package letters takes in the annexes a candidate sends (support letters
// and other pieces, as PDF, JPEG or PNG), refuses what cannot be merged
// with a reason the candidate can act on, cleans what can (no JavaScript,
// no automatic action, no attached file), puts each page on A4 and merges
// them after the rendered pages, numbered and in the outline. It is the
// one place where PDF bytes are finished and made reproducible. Bundle
// writes the committee's print file, one dossier at a time.
//
// It is the only package that imports pdfcpu.
package letters
