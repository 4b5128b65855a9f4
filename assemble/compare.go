package assemble

import (
	"bufio"
	"encoding/csv"
	"io"
	"necdossier/assemble/model"
	"strconv"
	"strings"
	"time"
)

// RowOf sums up c for the comparison, with the figures of its synthesis.
func RowOf(c *model.Candidature, call *model.Call, criteria []model.Criterion) model.Row {
	r := model.Row{
		Candidat:      c.Collectivite.Nom,
		Type:          c.Collectivite.Type,
		Criteria:      criteria,
		Communautaire: c.Evenement.JourneeCommunautaire,
		Jour1:         c.Evenement.Jour1,
		Jour2:         c.Evenement.Jour2,
		Partenaires:   len(c.Partenaires),
		Initiatives:   len(c.Initiatives),
		NECLocaux:     len(c.NECLocaux),
	}
	r.SetFigures(model.FiguresOf(c, call))
	return r
}

// WriteCompareCSV writes the rows as French Excel expects a CSV: UTF-8
// with a byte-order mark, « ; » between fields, decimal commas. A field
// that a spreadsheet would take for a formula (starting with = + - @, a
// tab or a carriage return) is neutralised with a leading apostrophe, the
// OWASP advice against CSV injection: candidates' names are untrusted.
func WriteCompareCSV(w io.Writer, call *model.Call, rows []model.Row) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := append([]string{}, model.CompareColumns...)
	header = append(header, model.CriterionColumns(call)...)
	if err := cw.Write(header); err != nil {
		return err
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("02/01/2006")
	}
	euros := func(cents int64) string {
		return strings.Replace(strconv.FormatFloat(float64(cents)/100, 'f', 2, 64), ".", ",", 1)
	}
	dec := func(x float64, prec int) string {
		return strings.Replace(strconv.FormatFloat(x, 'f', prec, 64), ".", ",", 1)
	}
	for _, r := range rows {
		share := ""
		if p, ok := r.PartAcquise(); ok {
			share = dec(p*100, 1) + " %"
		}
		rec := []string{
			r.Dossier, r.Candidat, r.Type, date(r.Communautaire), date(r.Jour1), date(r.Jour2),
			strconv.FormatInt(r.Capacite, 10), strconv.FormatInt(r.CapaciteTotale, 10), strconv.FormatInt(r.Pleniere, 10), strconv.FormatInt(r.Salles, 10),
			euros(r.Budget), euros(r.EnNature), euros(r.Autofinancement), euros(r.Exterieur),
			share, euros(r.Demande), euros(r.ParParticipant), dec(r.ETP, 2),
			strconv.Itoa(r.Partenaires), strconv.Itoa(r.Initiatives), strconv.Itoa(r.NECLocaux),
			strconv.Itoa(r.Lettres), strconv.Itoa(r.AutresPieces), strconv.Itoa(r.Pages), r.Empreinte,
		}
		for _, it := range call.Checklist {
			rec = append(rec, model.StatusOf(r.Criteria, it.ID).String())
		}
		for i, f := range rec {
			rec[i] = neutralise(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// neutralise defuses a field a spreadsheet would run as a formula.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
