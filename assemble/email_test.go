package assemble

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestWriteEmailParsesBack(t *testing.T) {
	pdf := bytes.Repeat([]byte("%PDF-1.7 \x00\xff binaire "), 200)
	d := Draft{
		From:    &mail.Address{Name: "Hélène Durand-Lefèvre", Address: "h.durand@belrive.example"},
		To:      []*mail.Address{{Name: "Programme Société Numérique (ANCT)", Address: "estelle.patat@anct.gouv.fr"}},
		Subject: "Candidature NEC 2025 – Métropole de Belrive",
		Body:    "Madame, Monsieur,\n\nVeuillez trouver ci-joint notre dossier de candidature.\nUne ligne très longue " + strings.Repeat("à écrire ", 20) + "\n",
		Attachments: []Attachment{
			{Name: "NEC2025-candidature-Metropole-de-Belrive.pdf", ContentType: "application/pdf", Data: pdf},
			{Name: "Annexes – Métropole.pdf", ContentType: "application/pdf", Data: []byte("autre")},
		},
		Date:     time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC),
		Boundary: "frontiere-fixe",
	}
	var buf bytes.Buffer
	if err := WriteEmail(&buf, d); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != d.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, d.Subject)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "estelle.patat@anct.gouv.fr" {
		t.Errorf("To = %v (%v)", to, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != "Hélène Durand-Lefèvre" {
		t.Errorf("From = %v (%v)", from, err)
	}
	if msg.Header.Get("X-Unsent") != "1" {
		t.Error("no X-Unsent header: the message would not open as a draft")
	}
	parts, bodies := mimeParts(t, msg)
	if len(parts) != 3 {
		t.Fatalf("%d parts, want body + 2 attachments", len(parts))
	}
	// multipart.Reader decodes quoted-printable itself.
	if got := strings.ReplaceAll(string(bodies[0]), "\r\n", "\n"); got != d.Body {
		t.Errorf("body = %q, want %q", got, d.Body)
	}
	for i, a := range d.Attachments {
		p := parts[i+1]
		if p.FileName() != a.Name {
			t.Errorf("attachment %d: file name %q, want %q", i, p.FileName(), a.Name)
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct != "application/pdf" {
			t.Errorf("attachment %d: content type %q", i, ct)
		}
		if !bytes.Equal(bodies[i+1], a.Data) {
			t.Errorf("attachment %d: bytes differ after the round trip", i)
		}
	}
	// RFC 2231 for the accented name.
	if cd := parts[2].Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=utf-8''Annexes%20%E2%80%93%20M%C3%A9tropole.pdf") {
		t.Errorf("accented file name not encoded per RFC 2231: %q", cd)
	}
}

func decodeBase64(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mimeParts reads the parts of a multipart/mixed message, with their bodies
// decoded (base64 here; multipart.Reader decodes quoted-printable itself).
func mimeParts(t *testing.T, msg *mail.Message) ([]*multipart.Part, [][]byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type = %q (%v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []*multipart.Part
	var bodies [][]byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts, bodies
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			b = decodeBase64(t, b)
		}
		parts = append(parts, p)
		bodies = append(bodies, b)
	}
}
