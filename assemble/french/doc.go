// Package french writes numbers, amounts, dates and text the way a French
// administrative document does, and cleans up the free text users type.
//
//	Number(12500)          → « 12 500 » (narrow no-break space)
//	Money(1250000)         → « 12 500 € » (no-break space before €)
//	LongDate(2025-10-01)   → « mercredi 1ᵉʳ octobre 2025 »
//	Typo(`"Bonjour" : l'État`) → « Bonjour » : l’État
//
// Go's time package has no French: the weekday and month tables are here.
// It is a leaf: it imports no other package of necdossier.
package french
