package model

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"necdossier/templates"
)

func TestLoadDefaultCall(t *testing.T) {
	c, err := LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	if c.Criteria.Participants != 2000 || c.Criteria.Speakers != 300 || c.Criteria.EventDays != 2 || !c.Criteria.CommunityDayBefore {
		t.Errorf("criteria = %+v, want 2000 participants, 300 speakers, 2 days plus the community day", c.Criteria)
	}
	if c.PlacesAxis() != 4000 || c.MoneyAxis() != 500000*100 {
		t.Errorf("axes = %d places, %d cents, want 4000 and 50 000 000", c.PlacesAxis(), c.MoneyAxis())
	}
	if got := c.Deadline.Format(time.DateOnly); got != "2024-07-15" {
		t.Errorf("deadline = %s, want 2024-07-15", got)
	}
	if c.Recipient.Email != "estelle.patat@anct.gouv.fr" {
		t.Errorf("recipient = %q", c.Recipient.Email)
	}
	var ids []string
	for _, s := range c.Sections {
		ids = append(ids, s.ID)
	}
	if got, want := strings.Join(ids, ","), "collectivite,motivations,lieux-dates,moyens,initiatives,thematiques,annexes"; got != want {
		t.Errorf("sections = %s, want %s (the call's order)", got, want)
	}
	if !c.Criteria.Window.Contains(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)) || c.Criteria.Window.Contains(time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("window %v does not hold 1 October and exclude 3 November", c.Criteria.Window)
	}
}

func TestParseCallErrors(t *testing.T) {
	good, err := templates.FS.ReadFile(templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"unknown field", "id: nec-2025", "id: nec-2025\ncolour: blue", "colour"},
		{"unknown section", "- id: thematiques", "- id: cuisine", "rubrique \"cuisine\" inconnue"},
		{"bad date", "deadline: 2024-07-15", "deadline: 15/07/2024", "AAAA-MM-JJ"},
		{"missing threshold", "participants: 2000", "participants: 0", "criteria.participants manquant"},
		{"capacity axis under the threshold", "places: 4000", "places: 1500", "charts.places"},
		{"window reversed", "to: 2025-10-31", "to: 2025-09-01", "précède"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(good), tt.from, tt.to, 1)
			if src == string(good) {
				t.Fatalf("test input unchanged: %q not found", tt.from)
			}
			_, err := LoadCall(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
