package render

// The look of the pages: geometry, palette and text styles.

// Page geometry, in millimetres: A4 portrait with generous margins, a
// running header above the text block and the page number below it.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 24.0
	marginR  = 24.0
	marginT  = 26.0
	marginB  = 24.0
	contentW = pageW - marginL - marginR
	bodyTop  = marginT
	bodyBot  = pageH - marginB
	bodyH    = bodyBot - bodyTop
	ptPerMM  = 72 / 25.4
	family   = "Lato"
)

// rgbColor is a colour of the palette.
type rgbColor struct{ r, g, b int }

// The palette is restrained: dark text, one blue accent, light greys for
// rules and zebra rows, and three status colours for the checklist.
var (
	colText      = rgbColor{33, 37, 41}
	colMuted     = rgbColor{96, 104, 112}
	colAccent    = rgbColor{22, 78, 140}
	colAccentBg  = rgbColor{232, 240, 249}
	colRule      = rgbColor{200, 206, 212}
	colZebra     = rgbColor{245, 247, 250}
	colWhite     = rgbColor{255, 255, 255}
	colMet       = rgbColor{38, 125, 64}
	colNotMet    = rgbColor{192, 38, 38}
	colToConfirm = rgbColor{166, 94, 0} // 4.9:1 on white, like the others above 4.5:1 (WCAG AA)
)

// textStyle is a font, size, colour and line height (lead, in mm).
type textStyle struct {
	font  string // "", "B", "I", "BI"
	size  float64
	color rgbColor
	lead  float64
}

var (
	stBody      = textStyle{"", 10, colText, 5.1}
	stEmpty     = textStyle{"I", 10, colMuted, 5.1}
	stHelp      = textStyle{"I", 9, colMuted, 4.4}
	stH1        = textStyle{"B", 17, colAccent, 8}
	stH2        = textStyle{"B", 12.5, colAccent, 6.2}
	stH3        = textStyle{"B", 10.5, colText, 5.3}
	stCell      = textStyle{"", 8.8, colText, 4.1}
	stCellBold  = textStyle{"B", 8.8, colText, 4.1}
	stCellEmpty = textStyle{"I", 8.8, colMuted, 4.1}
	stHead      = textStyle{"B", 8.5, colWhite, 4.0}
	stKey       = textStyle{"B", 9.5, colMuted, 4.8}
	stSmall     = textStyle{"", 8, colMuted, 3.8}
	stTOC       = textStyle{"", 10.5, colText, 5.6}
	stTOCTop    = textStyle{"B", 10.5, colText, 5.6}
)
