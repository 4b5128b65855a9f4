package assemble

import (
	"bufio"
	"encoding/csv"
	"fmt"
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
// The columns are model.Columns, then the criteria, then the reviewer's
// note.
func WriteCompareCSV(w io.Writer, call *model.Call, rows []model.Row) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	cols := model.Columns()
	var header []string
	for _, c := range cols {
		header = append(header, c.Title)
	}
	header = append(header, model.CriterionColumns(call)...)
	header = append(header, "Note de l’instructeur")
	if err := cw.Write(header); err != nil {
		return err
	}
	dec := func(x float64, prec int) string {
		return strings.Replace(strconv.FormatFloat(x, 'f', prec, 64), ".", ",", 1)
	}
	for _, r := range rows {
		var rec []string
		for _, c := range cols {
			v, field := c.Value(r), ""
			switch c.Kind {
			case model.Date:
				if t := v.(time.Time); !t.IsZero() {
					field = t.Format("02/01/2006")
				}
			case model.Euros:
				field = dec(float64(v.(int64))/100, 2)
			case model.Share:
				if p, ok := v.(float64); ok {
					field = dec(p*100, 1) + " %"
				}
			case model.Decimal:
				field = dec(v.(float64), 2)
			default:
				field = fmt.Sprint(v)
			}
			if r.Etat == model.NonProduit && c.Kind != model.Text {
				field = "" // nothing was read: no zeros
			}
			rec = append(rec, field)
		}
		for _, it := range call.Checklist {
			st := ""
			if r.Etat != model.NonProduit {
				st = model.StatusOf(r.Criteria, it.ID).String()
			}
			rec = append(rec, st)
		}
		rec = append(rec, r.Note)
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
