package workbook_test

import (
	"fmt"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook/workbooktest"
	"reflect"
	"testing"
)

func TestWriteWorkbookMoreRecordsThanPrepared(t *testing.T) {
	c := testkit.RichCandidature()
	for len(c.Lieux) < 9 { // 6 prepared, and the moments' table follows
		c.Lieux = append(c.Lieux, model.Lieu{Nom: fmt.Sprintf("Salle %d", len(c.Lieux)), Adresse: "Rennes", Capacite: 100, Pleniere: 50})
	}
	got, fs := workbooktest.ReadBook(t, workbooktest.WriteBook(t, c))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if !reflect.DeepEqual(testkit.WithoutRefs(got).Lieux, testkit.WithoutRefs(c).Lieux) || !reflect.DeepEqual(testkit.WithoutRefs(got).Moments, testkit.WithoutRefs(c).Moments) {
		t.Errorf("9 venues: read %d venues, %d moments", len(got.Lieux), len(got.Moments))
	}
}
