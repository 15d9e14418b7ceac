package update

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ErrControl is returned when a package's control file cannot be read.
var ErrControl = errors.New("cannot read the package's control file")

// maxControl bounds what is read of the control archive.
const maxControl = 1 << 20

// Control reads the fields of a Debian package's control file (Package, Version,
// Architecture, …). It reads the ar archive and its control.tar or control.tar.gz, which is
// what nFPM and dpkg-deb -Znone/-Zgzip write; other compressions are refused.
func Control(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, 8)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "!<arch>\n" {
		return nil, fmt.Errorf("%w: not a Debian package", ErrControl)
	}
	for {
		hdr := make([]byte, 60)
		if _, err := io.ReadFull(r, hdr); err != nil {
			return nil, fmt.Errorf("%w: no control archive", ErrControl)
		}
		name := strings.TrimSuffix(strings.TrimSpace(string(hdr[:16])), "/")
		size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || size < 0 || string(hdr[58:60]) != "`\n" {
			return nil, fmt.Errorf("%w: malformed archive", ErrControl)
		}
		body := io.LimitReader(r, size)
		switch name {
		case "control.tar":
			return controlFromTar(io.LimitReader(body, maxControl))
		case "control.tar.gz":
			z, err := gzip.NewReader(body)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrControl, err)
			}
			return controlFromTar(io.LimitReader(z, maxControl))
		}
		if strings.HasPrefix(name, "control.tar") {
			return nil, fmt.Errorf("%w: %s is not supported (build with nFPM, or dpkg-deb -Zgzip)", ErrControl, name)
		}
		// Members are padded to an even length.
		if _, err := io.CopyN(io.Discard, r, size+size%2); err != nil {
			return nil, fmt.Errorf("%w: malformed archive", ErrControl)
		}
	}
}

func controlFromTar(r io.Reader) (map[string]string, error) {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("%w: no control file", ErrControl)
		}
		if strings.TrimPrefix(h.Name, "./") != "control" {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrControl, err)
		}
		fields := map[string]string{}
		for _, line := range bytes.Split(b, []byte("\n")) {
			if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
				continue // continuation lines (the description) are not needed
			}
			k, v, ok := strings.Cut(string(line), ":")
			if ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
		return fields, nil
	}
}

// CheckControl refuses to sign a package whose control file names another package, version
// or architecture than the signature would: dpkg installs what the control file says, and a
// station keeps an update only when the new version reports the signed version.
func CheckControl(path, pkg, version, arch string) error {
	c, err := Control(path)
	if err != nil {
		return err
	}
	for _, f := range []struct{ field, want string }{{"Package", pkg}, {"Version", version}, {"Architecture", arch}} {
		if c[f.field] != f.want {
			return fmt.Errorf("%w: the package's %s is %q, not %q", ErrManifest, f.field, c[f.field], f.want)
		}
	}
	return nil
}
