package assemble

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Temporary files are named .necdossier-<pid>-<random>.tmp: short whatever
// the output's name (a legitimate 255-byte name stays writable), and
// recognisable, so that a run can tell its own in-flight files from those
// a killed run left behind.
const tempPrefix = ".necdossier-"

// temps are the temporary files being written by this process, removed by
// RemoveTemporaries when the process is interrupted.
var temps = struct {
	sync.Mutex
	files   map[string]bool
	closed  bool
	cleaned map[string]bool // folders already rid of stale files
}{files: map[string]bool{}, cleaned: map[string]bool{}}

// createTemp creates a temporary file in dir and registers it. It fails
// once RemoveTemporaries has run: the process is on its way out.
func createTemp(dir string) (*os.File, error) {
	cleanStale(dir)
	temps.Lock()
	defer temps.Unlock()
	if temps.closed {
		return nil, errors.New("interrompu")
	}
	f, err := os.CreateTemp(dir, tempPrefix+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		return nil, err
	}
	temps.files[f.Name()] = true
	return f, nil
}

// releaseTemp forgets a temporary file renamed or removed.
func releaseTemp(name string) {
	temps.Lock()
	delete(temps.files, name)
	temps.Unlock()
}

// RemoveTemporaries removes the temporary files being written, and makes
// any later write fail: the command line calls it on SIGINT and SIGTERM
// before exiting, so that an interrupted run leaves nothing behind.
func RemoveTemporaries() {
	temps.Lock()
	defer temps.Unlock()
	temps.closed = true
	for name := range temps.files {
		os.Remove(name)
		delete(temps.files, name)
	}
}

// cleanStale removes, once per folder and run, the temporary files that a
// run killed outright (SIGKILL, power cut) left in dir: those of
// necdossier's own pattern whose process is gone.
func cleanStale(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	temps.Lock()
	done := temps.cleaned[abs]
	temps.cleaned[abs] = true
	temps.Unlock()
	if done {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, tempPrefix) || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		pidText, _, ok := strings.Cut(strings.TrimPrefix(name, tempPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		info, ierr := e.Info()
		old := ierr == nil && time.Since(info.ModTime()) > 24*time.Hour
		if !ok || err != nil || pid == os.Getpid() || processAlive(pid) && !old {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// ioError says in French, with what to do, the system errors a write or a
// read can meet; other errors come back unchanged.
func ioError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSPC):
		return errors.New("disque plein : libérez de la place, ou choisissez un autre dossier de sortie")
	case errors.Is(err, syscall.EROFS):
		return errors.New("dossier en lecture seule : choisissez un dossier de sortie où vous pouvez écrire")
	case errors.Is(err, syscall.ENAMETOOLONG):
		return errors.New("nom de fichier trop long : choisissez un nom plus court")
	case errors.Is(err, syscall.EDQUOT):
		return errors.New("quota de disque atteint : libérez de la place, ou choisissez un autre dossier de sortie")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission refusée : vérifiez les droits sur ce dossier ou ce fichier, ou choisissez-en un autre")
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("dossier introuvable : vérifiez le chemin")
	case errors.Is(err, syscall.EIO):
		return errors.New("erreur d’entrée-sortie du disque : vérifiez le support, ou choisissez un autre dossier")
	}
	return err
}

// isSystem reports whether err comes from the system (a failed read or
// write) rather than from necdossier's own checks.
func isSystem(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &le) || errors.As(err, &errno)
}
