package french

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// vis makes the no-break spaces visible in failure messages and in wanted
// values: "_" is NBSP (U+00A0) and "·" is NNBSP (U+202F).
var vis = strings.NewReplacer(NBSP, "_", NNBSP, "·")

// spaces turns the "_" and "·" markers of a wanted value back into NBSP and
// NNBSP.
var spaces = strings.NewReplacer("_", NBSP, "·", NNBSP)

func TestNumber(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"zero", 0, "0"},
		{"one", 1, "1"},
		{"999", 999, "999"},
		{"1000", 1000, "1·000"},
		{"12500", 12500, "12·500"},
		{"100000", 100000, "100·000"},
		{"million", 1000000, "1·000·000"},
		{"negative", -12500, "-12·500"},
		{"negative small", -7, "-7"},
		{"negative 1000", -1000, "-1·000"},
		{"max", math.MaxInt64, "9·223·372·036·854·775·807"},
		{"min", math.MinInt64, "-9·223·372·036·854·775·808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Number(tt.in); got != spaces.Replace(tt.want) {
				t.Errorf("Number(%d) = %q, want %q", tt.in, vis.Replace(got), tt.want)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		prec int
		want string
	}{
		{"grouped", 1234.5, 1, "1·234,5"},
		{"padded", 1234.5, 2, "1·234,50"},
		{"no decimals", 1234.5, 0, "1·235"},
		{"negative prec", 3.7, -1, "4"},
		{"zero", 0, 2, "0,00"},
		{"half up", 0.125, 2, "0,13"},
		{"binary artefact", 2.675, 2, "2,68"},
		{"carry", 9.999, 2, "10,00"},
		{"carry to thousands", 999.96, 1, "1·000,0"},
		{"negative", -1234.56, 1, "-1·234,6"},
		{"negative half", -0.5, 0, "-1"},
		{"negative zero", math.Copysign(0, -1), 1, "0,0"},
		{"rounds to zero", -0.004, 2, "0,00"},
		{"small", 1e-7, 3, "0,000"},
		{"large", 1e15, 0, "1·000·000·000·000·000"},
		{"NaN", math.NaN(), 2, "NaN"},
		{"+Inf", math.Inf(1), 2, "∞"},
		{"-Inf", math.Inf(-1), 2, "-∞"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decimal(tt.in, tt.prec); got != spaces.Replace(tt.want) {
				t.Errorf("Decimal(%v, %d) = %q, want %q", tt.in, tt.prec, vis.Replace(got), tt.want)
			}
		})
	}
}

func TestDecimalTrimAndETP(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"half", 2.5, "2,5"},
		{"whole", 3, "3"},
		{"quarter", 0.25, "0,25"},
		{"rounded", 1.333333, "1,33"},
		{"rounds to whole", 1.999, "2"},
		{"zero", 0, "0"},
		{"thousands", 1200.5, "1·200,5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ETP(tt.in); got != spaces.Replace(tt.want) {
				t.Errorf("ETP(%v) = %q, want %q", tt.in, vis.Replace(got), tt.want)
			}
			if got := DecimalTrim(tt.in, 2); got != spaces.Replace(tt.want) {
				t.Errorf("DecimalTrim(%v, 2) = %q, want %q", tt.in, vis.Replace(got), tt.want)
			}
		})
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		name  string
		cents int64
		want  string
	}{
		{"zero", 0, "0_€"},
		{"one cent", 1, "0,01_€"},
		{"ten cents", 10, "0,10_€"},
		{"whole", 1250000, "12·500_€"},
		{"with cents", 1250050, "12·500,50_€"},
		{"999 euros", 99900, "999_€"},
		{"1000 euros", 100000, "1·000_€"},
		{"million", 100000000, "1·000·000_€"},
		{"negative", -1250050, "-12·500,50_€"},
		{"negative cents", -5, "-0,05_€"},
		{"max", math.MaxInt64, "92·233·720·368·547·758,07_€"},
		{"min", math.MinInt64, "-92·233·720·368·547·758,08_€"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Money(tt.cents); got != spaces.Replace(tt.want) {
				t.Errorf("Money(%d) = %q, want %q", tt.cents, vis.Replace(got), tt.want)
			}
		})
	}
}

func TestCents(t *testing.T) {
	tests := []struct {
		name  string
		euros float64
		want  int64
		ok    bool
	}{
		{"zero", 0, 0, true},
		{"whole", 12500, 1250000, true},
		{"cents", 12500.5, 1250050, true},
		{"half cent up", 0.285, 29, true},
		{"binary artefact", 1.005, 101, true},
		{"below half", 0.284999, 28, true},
		{"sum artefact", 0.1 + 0.2, 30, true},
		{"negative half", -0.285, -29, true},
		{"tiny negative", -0.001, 0, true},
		{"too large", 1e20, 0, false},
		{"NaN", math.NaN(), 0, false},
		{"Inf", math.Inf(1), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Cents(tt.euros)
			if ok != tt.ok || ok && got != tt.want {
				t.Errorf("Cents(%v) = %d, %v, want %d, %v", tt.euros, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"example", 0.425, "42,5_%"},
		{"whole", 1, "100_%"},
		{"zero", 0, "0_%"},
		{"rounded", 0.12345, "12,3_%"},
		{"half up", 0.00125, "0,1_%"},
		{"rounds to whole", 0.99999, "100_%"},
		{"tiny", 0.0001, "0_%"},
		{"negative", -0.05, "-5_%"},
		{"negative tiny", -0.0001, "0_%"},
		{"over 1000", 12.345, "1·234,5_%"},
		{"NaN", math.NaN(), "NaN_%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percent(tt.in); got != spaces.Replace(tt.want) {
				t.Errorf("Percent(%v) = %q, want %q", tt.in, vis.Replace(got), tt.want)
			}
		})
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestDates(t *testing.T) {
	tests := []struct {
		name                 string
		in                   time.Time
		long, short, numeric string
	}{
		{"example", date(2025, 9, 25), "jeudi 25 septembre 2025", "25 septembre 2025", "25/09/2025"},
		{"first", date(2025, 10, 1), "mercredi 1ᵉʳ octobre 2025", "1ᵉʳ octobre 2025", "01/10/2025"},
		{"second", date(2025, 10, 2), "jeudi 2 octobre 2025", "2 octobre 2025", "02/10/2025"},
		{"leap day", date(2028, 2, 29), "mardi 29 février 2028", "29 février 2028", "29/02/2028"},
		{"new year's eve", date(2026, 12, 31), "jeudi 31 décembre 2026", "31 décembre 2026", "31/12/2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LongDate(tt.in); got != tt.long {
				t.Errorf("LongDate = %q, want %q", got, tt.long)
			}
			if got := ShortDate(tt.in); got != tt.short {
				t.Errorf("ShortDate = %q, want %q", got, tt.short)
			}
			if got := NumericDate(tt.in); got != tt.numeric {
				t.Errorf("NumericDate = %q, want %q", got, tt.numeric)
			}
		})
	}
}

func TestFirstOfEveryMonth(t *testing.T) {
	// The 1st of each month of 2025, and its weekday.
	want := []string{
		"mercredi 1ᵉʳ janvier 2025", "samedi 1ᵉʳ février 2025", "samedi 1ᵉʳ mars 2025",
		"mardi 1ᵉʳ avril 2025", "jeudi 1ᵉʳ mai 2025", "dimanche 1ᵉʳ juin 2025",
		"mardi 1ᵉʳ juillet 2025", "vendredi 1ᵉʳ août 2025", "lundi 1ᵉʳ septembre 2025",
		"mercredi 1ᵉʳ octobre 2025", "samedi 1ᵉʳ novembre 2025", "lundi 1ᵉʳ décembre 2025",
	}
	for i, w := range want {
		if got := LongDate(date(2025, time.Month(i+1), 1)); got != w {
			t.Errorf("LongDate(1/%d/2025) = %q, want %q", i+1, got, w)
		}
	}
}

func TestNames(t *testing.T) {
	days := []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	for d, w := range days {
		if got := WeekdayName(time.Weekday(d)); got != w {
			t.Errorf("WeekdayName(%d) = %q, want %q", d, got, w)
		}
	}
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin",
		"juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	for i, w := range months {
		if got := MonthName(time.Month(i + 1)); got != w {
			t.Errorf("MonthName(%d) = %q, want %q", i+1, got, w)
		}
	}
	for _, d := range []time.Weekday{-1, 7} {
		if got := WeekdayName(d); got != "" {
			t.Errorf("WeekdayName(%d) = %q, want \"\"", d, got)
		}
	}
	for _, m := range []time.Month{0, 13} {
		if got := MonthName(m); got != "" {
			t.Errorf("MonthName(%d) = %q, want \"\"", m, got)
		}
	}
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in   string
		want time.Month // 0: not recognised
	}{
		{"septembre", time.September},
		{"Septembre", time.September},
		{"SEPTEMBRE", time.September},
		{"sept", time.September},
		{"sept.", time.September},
		{" Sept. ", time.September},
		{"sep", time.September},
		{"février", time.February},
		{"fevrier", time.February},
		{"FÉVRIER", time.February},
		{"févr.", time.February},
		{"fév", time.February},
		{"janv.", time.January},
		{"mars", time.March},
		{"mar", time.March},
		{"avr.", time.April},
		{"mai", time.May},
		{"juin", time.June},
		{"juil.", time.July},
		{"juillet", time.July},
		{"août", time.August},
		{"aout", time.August},
		{"AOÛT", time.August},
		{"oct.", time.October},
		{"nov", time.November},
		{"déc.", time.December},
		{"decembre", time.December},
		{"jui", 0}, // juin or juillet
		{"ma", 0},  // too short
		{"j", 0},
		{"", 0},
		{".", 0},
		{"septembres", 0},
		{"september", 0},
		{"lundi", 0},
		{"9", 0},
	}
	for _, tt := range tests {
		got, ok := ParseMonth(tt.in)
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("ParseMonth(%q) = %v, %v, want %v", tt.in, got, ok, tt.want)
		}
	}
	for m := time.January; m <= time.December; m++ {
		if got, ok := ParseMonth(MonthName(m)); !ok || got != m {
			t.Errorf("ParseMonth(MonthName(%d)) = %v, %v", m, got, ok)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"example", "Communauté d'agglomération du Val-d'Oise", "Communaute-d-agglomeration-du-Val-d-Oise"},
		{"curly apostrophe", "Commune d’Évry", "Commune-d-Evry"},
		{"ligatures", "Œuvre Ætna Straße", "OEuvre-AEtna-Strasse"},
		{"trim and collapse", "  --Saint  Étienne!! ", "Saint-Etienne"},
		{"digits", "Région 2025 / n°3", "Region-2025-n-3"},
		{"empty", "", "sans-nom"},
		{"only punctuation", "« ? »", "sans-nom"},
		{"not Latin", "Αθήνα", "sans-nom"},
		{"cut at dash", "Syndicat intercommunal à vocation multiple de la vallée de la haute Durance",
			"Syndicat-intercommunal-a-vocation-multiple-de-la-vallee-de"},
		{"cut on a boundary", strings.Repeat("a", 60) + " b", strings.Repeat("a", 60)},
		{"hard cut", strings.Repeat("x", 70), strings.Repeat("x", 60)},
		{"invalid UTF-8", "a\xffb", "a-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slug(tt.in)
			if got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > 60 {
				t.Errorf("Slug(%q) is %d bytes long", tt.in, len(got))
			}
		})
	}
}

func TestCapitalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"accent", "état", "État"},
		{"plain", "commune", "Commune"},
		{"already", "Paris", "Paris"},
		{"œ", "œuvre", "Œuvre"},
		{"ç", "ça", "Ça"},
		{"after guillemet", "« état »", "« État »"},
		{"digit first", "2e tour", "2e tour"},
		{"empty", "", ""},
		{"no letter", "…", "…"},
		{"invalid UTF-8", "\xffété", "\xffÉté"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Capitalize(tt.in); got != tt.want {
				t.Errorf("Capitalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// typoCases are TestTypo's cases. In "in" and "want", "_" stands for NBSP
// and "·" for NNBSP.
var typoCases = []struct {
	name, in, want string
}{
	{"empty", "", ""},
	{"plain", "Un projet numérique", "Un projet numérique"},
	{"numbers", "12 500 habitants, 3.5 ETP, 1,5 M", "12·500 habitants, 3.5 ETP, 1,5 M"},
	{"oe kept", "coeur et oeuvre", "coeur et oeuvre"},
	{"euro bound to its amount", "un budget de 12 500 € et 40 % acquis", "un budget de 12·500_€ et 40_% acquis"},
	{"euro alone untouched", "en € ou en %", "en € ou en %"},
	{"numbers typed with spaces", "1 800 passages, 184 300 habitants, 1 184 300 euros", "1·800 passages, 184·300 habitants, 1·184·300 euros"},
	{"number with decimals", "3 000,50 euros", "3·000,50 euros"},
	{"years are not a number", "en 2024 2025 et 2026", "en 2024 2025 et 2026"},
	{"phone number untouched", "01 23 45 67 89", "01 23 45 67 89"},
	{"decimal then group untouched", "3,5 000", "3,5 000"},
	{"euro glued", "12 500€ et 40%", "12·500_€ et 40_%"},
	{"hours", "à 19h, 19h30, 9H et 19h00", "à 19_h, 19_h_30, 9_h et 19_h_00"},
	{"not hours", "25h, 19h300, A19h, 19ha, 1,5h", "25h, 19h300, A19h, 19ha, 1,5h"},
	{"ordinals", "le 1ᵉʳ mai, la 1re, le 2e, la 3ème, le 4eme, le 21e", "le 1ᵉʳ mai, la 1ʳᵉ, le 2ᵉ, la 3ᵉ, le 4ᵉ, le 21ᵉ"},
	{"not ordinals", "21er, 1e, 3e5, 1ers, A2e, 2,5e", "21er, 1e, 3e5, 1ers, A2e, 2,5e"},
	{"ordinal in URL kept", "https://x.fr/1er-19h/12 500€", "https://x.fr/1er-19h/12 500_€"},
	{"file name kept", "voir lettre_d'appui.pdf et l'annexe", "voir lettre_d'appui.pdf et l’annexe"},

	// Apostrophes.
	{"apostrophe", "l'État", "l’État"},
	{"aujourd'hui", "aujourd'hui", "aujourd’hui"},
	{"apostrophes", "l'accès à l'école d'Arles", "l’accès à l’école d’Arles"},
	{"single quotes", "'quoted' words", "'quoted' words"},
	{"apostrophe at word end", "les parents' avis", "les parents' avis"},
	{"apostrophe after digit", "l'an 2000'", "l’an 2000'"},

	// Guillemets.
	{"double quotes", `le "Pass numérique" est`, "le «_Pass numérique_» est"},
	{"quotes and punctuation", `il dit "oui", puis "non".`, "il dit «_oui_», puis «_non_»."},
	{"quotes in brackets", `("oui")`, "(«_oui_»)"},
	{"guillemets spaces", "« oui »", "«_oui_»"},
	{"guillemets glued", "«oui»", "«_oui_»"},
	{"guillemets NNBSP", "«·oui·»", "«_oui_»"},
	{"mixed", `« un » et "deux"`, "«_un_» et «_deux_»"},
	{"nested English quotes", "« il dit “oui” »", "«_il dit “oui”_»"},
	{"lone quote", `12 " de large`, `12 " de large`},
	{"inches", `un écran 27"`, `un écran 27"`},
	{"empty quotes", `""`, "«_»"},
	{"unclosed", `"ouvert`, "«_ouvert"},
	{"across lines", "\"début\nfin\" ici", "«_début\nfin_» ici"},
	{"reset by blank line", "\"a\n\nb\" c", "«_a\n\nb\" c"},

	// Spaces before punctuation.
	{"exclamation", "Attention!", "Attention·!"},
	{"question", "Pourquoi ?", "Pourquoi·?"},
	{"semicolon", "un ; deux", "un·; deux"},
	{"colon", "Objet: demande", "Objet_: demande"},
	{"colon with space", "Objet : demande", "Objet_: demande"},
	{"colon NNBSP kept", "Objet·: demande", "Objet·: demande"},
	{"group", "Vraiment?!", "Vraiment·?!"},
	{"group with space", "Vraiment ?! Oui !!!", "Vraiment·?! Oui·!!!"},
	{"after guillemet", `Il a dit "non"!`, "Il a dit «_non_»·!"},
	{"before guillemet", `"Vraiment?"`, "«_Vraiment·?_»"},
	{"NBSP replaced", "Quoi_?", "Quoi·?"},
	{"glued to a word after", "Note:voir", "Note:voir"},
	{"line start", "!important", "!important"},
	{"after bracket", "(?)", "(?)"},
	{"after abbreviation", "etc.:", "etc._:"},

	// Left alone.
	{"time", "à 14:30 précises", "à 14:30 précises"},
	{"ratio", "un ratio 1:2", "un ratio 1:2"},
	{"time then colon", "à 14:30: fin", "à 14:30_: fin"},
	{"url", "voir https://exemple.fr/a?b=1&c=d!", "voir https://exemple.fr/a?b=1&c=d·!"},
	{"url query", "https://x?y=1", "https://x?y=1"},
	{"url in guillemets", `"https://exemple.fr/l'a"`, "«_https://exemple.fr/l'a_»"},
	{"url in brackets", "(http://a.fr/b:c)", "(http://a.fr/b:c)"},
	{"url then colon", "https://a.fr: le site", "https://a.fr_: le site"},
	{"www", "www.exemple.fr/page?x=1", "www.exemple.fr/page?x=1"},
	{"email", "écrire à jean.d'arc@mairie.fr; merci", "écrire à jean.d'arc@mairie.fr·; merci"},
	{"mailto", "mailto:contact@exemple.fr", "mailto:contact@exemple.fr"},
	{"www inside a word", "x«www.a:b!", "x«www.a:b·!"},
	{"url after empty quotes", `""https://x a"`, `«_»https://x a"`},
	{"url dots", "https://a.fr/b...c", "https://a.fr/b...c"},

	// Ellipsis and dashes.
	{"ellipsis", "et puis...", "et puis…"},
	{"ellipsis in brackets", "(...)", "(…)"},
	{"four dots", "....", "...."},
	{"two dots", "..", ".."},
	{"dash", "un - deux", "un – deux"},
	{"hyphen", "Val-d'Oise", "Val-d’Oise"},
	{"negative number", "de -5 à +5", "de -5 à +5"},
	{"dash bullet", "- point", "- point"},

	// Spaces and lines.
	{"collapse", "un   deux \t trois", "un deux trois"},
	{"collapse keeps no-break", "12 _€", "12_€"},
	{"trim", "  texte  ", "texte"},
	{"lines", "un\ndeux\n\ntrois", "un\ndeux\n\ntrois"},
	{"lines trimmed", "un  \n  deux", "un\ndeux"},
	{"CRLF", "Oui!\r\nNon?\r\n\r\nFin", "Oui·!\r\nNon·?\r\n\r\nFin"},
	{"blank lines", "\n\n\n", "\n\n\n"},

	// Already typeset text is left as it is.
	{"typeset", "«_Le numérique_», c’est l’affaire de tous·! Vraiment·? Oui_: 14:30…",
		"«_Le numérique_», c’est l’affaire de tous·! Vraiment·? Oui_: 14:30…"},

	// Invalid UTF-8.
	{"invalid", "a\xffb!", "a\ufffdb·!"},
}

func TestTypo(t *testing.T) {
	for _, tt := range typoCases {
		t.Run(tt.name, func(t *testing.T) {
			in, want := spaces.Replace(tt.in), spaces.Replace(tt.want)
			got := Typo(in)
			if got != want {
				t.Errorf("Typo(%q)\n got %q\nwant %q", tt.in, vis.Replace(got), tt.want)
			}
			if again := Typo(got); again != got {
				t.Errorf("Typo is not idempotent on %q:\n once %q\ntwice %q", tt.in, vis.Replace(got), vis.Replace(again))
			}
		})
	}
}

// ordinalSuffix matches what Typo may turn into raised letters.
var ordinalSuffix = regexp.MustCompile(`([0-9])(er|re|ème|eme|e)`)

// alnum returns the letters and digits of s, in order, in lower case,
// without the suffixes of ordinals (which Typo raises: « 1er » gives
// « 1ᵉʳ »).
func alnum(s string) string {
	s = ordinalSuffix.ReplaceAllString(strings.ToLower(s), "$1")
	var b strings.Builder
	for _, r := range s {
		if r == '\u1d49' || r == '\u02b3' {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// typoSeeds are FuzzTypo's seeds, "_" standing for NBSP and "·" for NNBSP.
var typoSeeds = []string{
	"", "l'État", `le "Pass" est`, "«x»", "Attention!", "à 14:30", "1:2",
	"https://x?y=1", "a@b.fr!", "www.x.fr...", "et puis...", "un - deux",
	"un\n\ndeux", "a\r\nb", "Quoi ?!", `""`, `x«www.a"b"c`, "\xff'a\"",
	"«_Le numérique_», c’est l’affaire de tous·!", "Quoi_?", "«·»", "a - _b",
}

func FuzzTypo(f *testing.F) {
	for _, s := range typoSeeds {
		f.Add(spaces.Replace(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Typo(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Typo(%q) = %q: invalid UTF-8", s, got)
		}
		if again := Typo(got); again != got {
			t.Fatalf("Typo not idempotent on %q:\n once %q\ntwice %q", s, got, again)
		}
		if a, b := alnum(s), alnum(got); a != b {
			t.Fatalf("Typo(%q) = %q changed letters or digits: %q -> %q", s, got, a, b)
		}
	})
}

func TestCompareFrench(t *testing.T) {
	names := []string{"Ville d’Ys", "établissement public de Sarrine", "Etablissement public d’Aubrelle", "Communauté de communes du Haut-Verdal", "commune de Belrive", "Zèbre"}
	slices.SortFunc(names, Compare)
	want := []string{"Communauté de communes du Haut-Verdal", "commune de Belrive", "Etablissement public d’Aubrelle", "établissement public de Sarrine", "Ville d’Ys", "Zèbre"}
	if !slices.Equal(names, want) {
		t.Errorf("ordre :\n%q\nattendu :\n%q", names, want)
	}
	if Compare("Eté", "Ete") == 0 || Compare("é", "é") != 0 {
		t.Error("ordre non total")
	}
}
