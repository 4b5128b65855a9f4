package french_test

import (
	"fmt"
	"necdossier/assemble/french"
	"time"
)

// The outputs are quoted with %q so that the no-break spaces show:
// \u00a0 is NBSP and \u202f is NNBSP.

func ExampleMoney() {
	fmt.Printf("%q\n", french.Money(1250000))
	fmt.Printf("%q\n", french.Money(1250050))
	fmt.Printf("%q\n", french.Money(-99))
	// Output:
	// "12\u202f500\u00a0€"
	// "12\u202f500,50\u00a0€"
	// "-0,99\u00a0€"
}

func ExampleLongDate() {
	fmt.Println(french.LongDate(time.Date(2025, time.September, 25, 0, 0, 0, 0, time.UTC)))
	fmt.Println(french.LongDate(time.Date(2025, time.October, 1, 0, 0, 0, 0, time.UTC)))
	// Output:
	// jeudi 25 septembre 2025
	// mercredi 1ᵉʳ octobre 2025
}

func ExamplePercent() {
	fmt.Printf("%q %q\n", french.Percent(0.425), french.Percent(1))
	// Output:
	// "42,5\u00a0%" "100\u00a0%"
}

func ExampleTypo() {
	fmt.Printf("%q\n", french.Typo(`Le "Pass numérique" de l'État: essayez-le!`))
	fmt.Printf("%q\n", french.Typo("Rendez-vous à 14:30 sur https://exemple.fr/?a=1..."))
	// Output:
	// "Le «\u00a0Pass numérique\u00a0» de l’État\u00a0: essayez-le\u202f!"
	// "Rendez-vous à 14:30 sur https://exemple.fr/?a=1…"
}

func ExampleSlug() {
	fmt.Println(french.Slug("Communauté d'agglomération du Val-d'Oise"))
	// Output:
	// Communaute-d-agglomeration-du-Val-d-Oise
}
