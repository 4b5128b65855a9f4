package serve

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"necdossier/assemble"
)

// errTooLarge is an upload over its cap; its message is the one shown.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("fichiers trop lourds : la limite est de %s par envoi. Ne gardez que les classeurs et leurs lettres, ou allégez les lettres les plus lourdes (PDF, ou scan à 200 ppp), puis recommencez.", assemble.Size(e.limit))
}

// errBadName is a file name that tries to leave its folder.
type errBadName struct{ name string }

func (e errBadName) Error() string {
	return fmt.Sprintf("nom de fichier refusé : « %s » (chemin absolu, « .. » ou caractère interdit)", assemble.Printable(e.name))
}

// cleanPath turns a path sent by the browser (a file's name, or its path
// inside the folder chosen) into a relative slash-separated path, refusing
// what is absolute or climbs out with "..".
func cleanPath(name string) (string, error) {
	p := strings.ReplaceAll(name, `\`, "/")
	if p == "" || strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') || strings.ContainsRune(p, 0) {
		return "", errBadName{name}
	}
	var parts []string
	for _, e := range strings.Split(p, "/") {
		switch e {
		case "..":
			return "", errBadName{name}
		case "", ".":
			continue
		}
		parts = append(parts, e)
	}
	p = strings.Join(parts, "/")
	if !fs.ValidPath(p) || p == "." {
		return "", errBadName{name}
	}
	return p, nil
}

// ignored are the files a folder holds besides its content: hidden files,
// Office's lock files, the system's thumbnails.
func ignored(p string) bool {
	b := strings.ToLower(path.Base(p))
	if strings.HasPrefix(b, ".") || strings.HasPrefix(b, "~$") || b == "thumbs.db" || b == "desktop.ini" {
		return true
	}
	for _, e := range strings.Split(p, "/") {
		if strings.HasPrefix(e, ".") || e == "__MACOSX" {
			return true
		}
	}
	return false
}

// form reads a multipart upload of at most limit bytes: each file part
// goes to file(path, body), each other field to the map returned.
func form(w http.ResponseWriter, r *http.Request, limit int64, file func(name string, body io.Reader) error) (map[string]string, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge{limit}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("envoi illisible : %v", err)
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			return fields, nil
		}
		if err != nil {
			return nil, tooLarge(err, limit)
		}
		// The raw file name: multipart's FileName keeps only its base
		// name, and a letter may lie in a sub-folder of the workbook's.
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if name, ok := params["filename"]; ok {
			p, err := cleanPath(name)
			if err != nil {
				return nil, err
			}
			if err := file(p, part); err != nil {
				return nil, tooLarge(err, limit)
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 1<<16))
		if err != nil {
			return nil, tooLarge(err, limit)
		}
		fields[part.FormName()] = string(v)
	}
}

// tooLarge turns the error of reading past the cap into errTooLarge.
func tooLarge(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errTooLarge{limit}
	}
	return err
}

// uploadFailed answers the error of form.
func uploadFailed(w http.ResponseWriter, err error) {
	var big errTooLarge
	if errors.As(err, &big) {
		fail(w, http.StatusRequestEntityTooLarge, err.Error())
		return
	}
	fail(w, http.StatusBadRequest, err.Error())
}
