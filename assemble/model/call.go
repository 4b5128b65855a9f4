package model

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"necdossier/assemble/french"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Call is a call for applications, read from a file of templates/: what it
// asks for, its criteria and its deadline. Nothing of it is written in code.
type Call struct {
	ID           string    `yaml:"id"`
	Title        string    `yaml:"title"`
	Subtitle     string    `yaml:"subtitle"`
	Organiser    string    `yaml:"organiser"`
	Deadline     CivilDate `yaml:"deadline"`
	Recipient    Recipient `yaml:"recipient"`
	FilePrefix   string    `yaml:"file_prefix"`
	WorkbookName string    `yaml:"workbook_name"`
	Charter      string    `yaml:"charter"`
	EmailSubject string    `yaml:"email_subject"` // "{collectivite}" is replaced by the candidate's name
	Funder       Funder    `yaml:"funder"`
	Criteria     Criteria  `yaml:"criteria"`
	Charts       Charts    `yaml:"charts"`
	Checklist    []Item    `yaml:"checklist"`
	Sections     []Section `yaml:"sections"`
}

// Recipient is who receives the applications.
type Recipient struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// Funder is the call's organiser as a budget line names it: the amount
// asked of the agency is the sum of the produits whose funder matches.
type Funder struct {
	Name  string   `yaml:"name"`  // as the synthesis names it
	Match []string `yaml:"match"` // words any one of which, in a line's funder, names the agency
}

// Matches reports whether a budget line's funder names the agency: one of
// the words of Match appears in it as a whole word, case and accents aside.
func (f Funder) Matches(financeur string) bool {
	words := strings.FieldsFunc(french.Fold(strings.ToLower(financeur)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	text := " " + strings.Join(words, " ") + " "
	for _, m := range f.Match {
		mw := strings.FieldsFunc(french.Fold(strings.ToLower(m)), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		})
		if len(mw) > 0 && strings.Contains(text, " "+strings.Join(mw, " ")+" ") {
			return true
		}
	}
	return false
}

// Criteria are the thresholds the call sets.
type Criteria struct {
	Participants       int64  `yaml:"participants"`
	Speakers           int64  `yaml:"speakers"`
	EventDays          int    `yaml:"event_days"`
	CommunityDayBefore bool   `yaml:"community_day_before"`
	Window             Window `yaml:"window"`
}

// Charts fix the axes of the charts, the same in every dossier and in the
// comparison, so that a bar for 2 400 places is longer than one for 2 100
// wherever they are drawn. Zero means the default (see PlacesAxis,
// MoneyAxis).
type Charts struct {
	Places int64 `yaml:"places"` // end of the capacity axis
	Euros  int64 `yaml:"euros"`  // end of the amounts' axis, whole euros
}

// Window is the span of dates the event should fall in (both ends included).
type Window struct {
	From CivilDate `yaml:"from"`
	To   CivilDate `yaml:"to"`
}

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.From.Time) && !t.After(w.To.Time)
}

// Item is a criterion of the call as the synthesis lists it.
type Item struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

// Section is an item the call asks candidates to provide: a numbered
// section of the dossier.
type Section struct {
	ID     string   `yaml:"id"`
	Title  string   `yaml:"title"`
	Sheets []string `yaml:"sheets"`
	Help   string   `yaml:"help"`
}

// CivilDate is a date without time of day, written 2006-01-02 in YAML.
type CivilDate struct{ time.Time }

// UnmarshalYAML reads a date written YYYY-MM-DD.
func (d *CivilDate) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		return fmt.Errorf("ligne %d : date attendue au format AAAA-MM-JJ, trouvé %q", n.Line, n.Value)
	}
	d.Time = t
	return nil
}

// Known identifiers: a section or checklist item the code cannot fill is an
// error when the call is loaded, not a silent gap in the dossier.
var (
	knownSections  = []string{"collectivite", "motivations", "lieux-dates", "moyens", "initiatives", "thematiques", "annexes"}
	knownChecklist = []string{"mobilisation", "experience", "participants", "speakers", "days", "window", "venue", "charter", "letters"}
)

// LoadCall reads the call definition name from fsys.
func LoadCall(fsys fs.FS, name string) (*Call, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("appel %q : %w", name, err)
	}
	c, err := ParseCall(data)
	if err != nil {
		return nil, fmt.Errorf("appel %q : %w", name, err)
	}
	return c, nil
}

// ParseCall reads a call definition and checks it is complete.
func ParseCall(data []byte) (*Call, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Call
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	var errs []error
	need := func(ok bool, what string) {
		if !ok {
			errs = append(errs, fmt.Errorf("%s manquant", what))
		}
	}
	need(c.ID != "", "id")
	need(c.Title != "", "title")
	need(!c.Deadline.IsZero(), "deadline")
	need(c.Recipient.Email != "", "recipient.email")
	need(c.FilePrefix != "", "file_prefix")
	need(c.WorkbookName != "", "workbook_name")
	need(strings.Contains(c.EmailSubject, "{collectivite}"), "email_subject (avec {collectivite})")
	need(c.Criteria.Participants > 0, "criteria.participants")
	need(c.Criteria.Speakers > 0, "criteria.speakers")
	need(c.Criteria.EventDays > 0, "criteria.event_days")
	need(!c.Criteria.Window.From.IsZero() && !c.Criteria.Window.To.IsZero(), "criteria.window")
	need(len(c.Sections) > 0, "sections")
	if c.Charts.Places < 0 || c.Charts.Places > 0 && c.Charts.Places <= c.Criteria.Participants {
		errs = append(errs, errors.New("charts.places : l’axe des capacités doit dépasser criteria.participants"))
	}
	if c.Charts.Euros < 0 {
		errs = append(errs, errors.New("charts.euros : montant positif attendu"))
	}
	if c.Criteria.Window.To.Before(c.Criteria.Window.From.Time) {
		errs = append(errs, errors.New("criteria.window : « to » précède « from »"))
	}
	for _, s := range c.Sections {
		if !slices.Contains(knownSections, s.ID) {
			errs = append(errs, fmt.Errorf("rubrique %q inconnue (connues : %s)", s.ID, strings.Join(knownSections, ", ")))
		}
		if s.Title == "" {
			errs = append(errs, fmt.Errorf("rubrique %q : title manquant", s.ID))
		}
	}
	for _, it := range c.Checklist {
		if !slices.Contains(knownChecklist, it.ID) {
			errs = append(errs, fmt.Errorf("critère %q inconnu (connus : %s)", it.ID, strings.Join(knownChecklist, ", ")))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &c, nil
}

// Threshold is the capacity line every chart draws: the participants the
// call asks to host, which the main venue's capacity is judged against.
func (c *Call) Threshold() (int64, string) {
	n := c.Criteria.Participants
	return n, "seuil de l’appel : " + french.Number(n) + french.NBSP + "participants"
}

// PlacesAxis is the end of every capacity axis: charts.places, or twice
// the threshold. It does not depend on any candidate: a capacity beyond it
// is drawn cut, with a break mark and its figure.
func (c *Call) PlacesAxis() int64 {
	if c.Charts.Places > 0 {
		return c.Charts.Places
	}
	return 2 * c.Criteria.Participants
}

// MoneyAxis is the end of every amounts' axis, in cents: charts.euros, or
// 250 € per participant the call asks for (the order of a budget per
// participant of the past events).
func (c *Call) MoneyAxis() int64 {
	if c.Charts.Euros > 0 {
		return c.Charts.Euros * 100
	}
	return c.Criteria.Participants * 250 * 100
}

// Label returns the checklist item's label with the call's thresholds
// filled in: "{participants}" becomes "2 000".
func (c *Call) Label(it Item) string {
	return strings.NewReplacer(
		"{participants}", french.Number(c.Criteria.Participants),
		"{speakers}", french.Number(c.Criteria.Speakers),
		"{event_days}", strconv.Itoa(c.Criteria.EventDays),
	).Replace(it.Label)
}
