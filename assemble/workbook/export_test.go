package workbook

// Xstring is xstring, for the external tests.
var Xstring = xstring
