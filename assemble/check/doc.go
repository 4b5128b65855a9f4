// Package check judges a candidature against its call: model in, findings
// out. Check lists what the collectivité must fix or confirm, each finding
// with its sheet and cell; Evaluate gives the verdict on each criterion of
// the call (rempli, non rempli, à confirmer) for the synthesis page and the
// comparison.
//
// It reads the schema of the workbook package to name cells, and nothing
// later in the pipeline.
package check
