package assemble

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Draft is an e-mail ready to be opened in a mail client, checked and sent.
type Draft struct {
	From        *mail.Address // the collectivité's contact; nil leaves it to the mail client
	To          []*mail.Address
	Subject     string
	Body        string // plain text, lines separated by "\n"
	Attachments []Attachment
	Date        time.Time
	Boundary    string // MIME boundary; "" → random (set it for reproducible output)
}

// Attachment is a file joined to a Draft.
type Attachment struct {
	Name        string // file name shown to the recipient (any Unicode)
	ContentType string // "application/pdf"
	Data        []byte
}

// WriteEmail writes d as an RFC 5322 message with MIME parts: the text body
// in quoted-printable UTF-8, then each attachment in base64, its name
// encoded per RFC 2231 when it is not plain ASCII. The header X-Unsent
// makes Outlook and Thunderbird open it as a draft to send, not as a
// received message.
func WriteEmail(w io.Writer, d Draft) error {
	boundary := d.Boundary
	if boundary == "" {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		boundary = "necdossier-" + hex.EncodeToString(b[:])
	}
	bw := bufio.NewWriter(w)
	header := func(k, v string) { fmt.Fprintf(bw, "%s: %s\r\n", k, v) }
	if d.From != nil {
		header("From", d.From.String())
	}
	var to []string
	for _, a := range d.To {
		to = append(to, a.String())
	}
	header("To", strings.Join(to, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", d.Subject))
	header("Date", d.Date.Format(time.RFC1123Z))
	header("X-Unsent", "1")
	header("MIME-Version", "1.0")
	header("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": boundary}))
	bw.WriteString("\r\n")

	fmt.Fprintf(bw, "--%s\r\n", boundary)
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	bw.WriteString("\r\n")
	qp := quotedprintable.NewWriter(bw)
	if _, err := io.WriteString(qp, strings.ReplaceAll(d.Body, "\n", "\r\n")); err != nil {
		return err
	}
	if err := qp.Close(); err != nil {
		return err
	}
	bw.WriteString("\r\n")

	for _, a := range d.Attachments {
		fmt.Fprintf(bw, "--%s\r\n", boundary)
		ct := mime.FormatMediaType(a.ContentType, map[string]string{"name": a.Name})
		cd := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
		if ct == "" || cd == "" {
			return fmt.Errorf("pièce jointe %q : type ou nom impossible à encoder", a.Name)
		}
		header("Content-Type", ct)
		header("Content-Disposition", cd)
		header("Content-Transfer-Encoding", "base64")
		bw.WriteString("\r\n")
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			bw.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		bw.WriteString(enc + "\r\n")
	}
	fmt.Fprintf(bw, "--%s--\r\n", boundary)
	return bw.Flush()
}
