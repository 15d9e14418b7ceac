// Package update signs, verifies and keeps station update packages.
//
// An update is a station .deb and a detached signature file (PKG.deb.sig): a JSON object
// holding the manifest (package, version, arch, size, SHA-256) exactly as signed and an
// Ed25519 signature over their compact form. The private update key stays with whoever builds
// releases; hubs and stations hold only the public key. A hub checks a package against the
// key before it serves it; a station checks it again before it installs it, so the hub and
// the network need not be trusted with the package's integrity.
package update

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// context is prefixed to the manifest bytes before signing so an update signature can never
// be taken for a signature made by the same key for another purpose.
const context = "liaison-station-update-v1\n"

// Errors a caller can tell apart.
var (
	ErrSignature = errors.New("update signature does not verify with the trusted key")
	ErrDigest    = errors.New("update package does not match its signed size and SHA-256")
	ErrNotNewer  = errors.New("update version is not newer than the latest published")
	ErrManifest  = errors.New("update manifest is malformed")
	ErrNone      = errors.New("no update published for this architecture")
)

// Manifest describes one signed package.
type Manifest struct {
	Package string    `json:"package"` // the Debian package name, e.g. liaison-station
	Version string    `json:"version"` // dotted numbers, e.g. 1.4.2
	Arch    string    `json:"arch"`    // Debian architecture: amd64, arm64
	Size    int64     `json:"size"`
	SHA256  string    `json:"sha256"` // lower-case hex
	Signed  time.Time `json:"signed"`
}

// Signature is the content of PKG.deb.sig.
type Signature struct {
	Manifest  json.RawMessage `json:"manifest"`
	Signature string          `json:"signature"` // base64 Ed25519 over context+Manifest
}

var (
	versionRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,3}$`)
	nameRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9.+-]{0,63}$`)
)

func (m Manifest) check() error {
	switch {
	case !nameRE.MatchString(m.Package):
		return fmt.Errorf("%w: package %q", ErrManifest, m.Package)
	case !versionRE.MatchString(m.Version):
		return fmt.Errorf("%w: version %q is not dotted numbers", ErrManifest, m.Version)
	case !nameRE.MatchString(m.Arch):
		return fmt.Errorf("%w: arch %q", ErrManifest, m.Arch)
	case m.Size <= 0:
		return fmt.Errorf("%w: size %d", ErrManifest, m.Size)
	}
	if b, err := hex.DecodeString(m.SHA256); err != nil || len(b) != sha256.Size || strings.ToLower(m.SHA256) != m.SHA256 {
		return fmt.Errorf("%w: sha256 %q", ErrManifest, m.SHA256)
	}
	return nil
}

// CompareVersions orders two dotted-number versions: -1, 0 or 1. Missing parts count as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y uint64
		if i < len(pa) {
			x, _ = strconv.ParseUint(pa[i], 10, 64)
		}
		if i < len(pb) {
			y, _ = strconv.ParseUint(pb[i], 10, 64)
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ValidVersion reports whether v is a version this package can order.
func ValidVersion(v string) bool { return versionRE.MatchString(v) }

// GenerateKey writes a new private update key to path (mode 0600, refused when the file
// exists) and its public key to path+".pub", and returns the public key.
func GenerateKey(path string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, err = fmt.Fprintln(f, base64.StdEncoding.EncodeToString(priv.Seed()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path+".pub", []byte(EncodePublicKey(pub)+"\n"), 0o644); err != nil {
		return nil, err
	}
	return pub, nil
}

// EncodePublicKey is the text form of a public update key, as in a .pub file.
func EncodePublicKey(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// ParsePublicKey reads the text form of a public update key.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not an Ed25519 public update key")
	}
	return ed25519.PublicKey(b), nil
}

// ReadPublicKey reads a .pub file.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ReadPrivateKey reads a key file GenerateKey wrote.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: not a private update key", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// Digest returns the size and SHA-256 (hex) of a file.
func Digest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Sign signs the package at path as package name, version and arch, and returns the
// content of its .sig file.
func Sign(key ed25519.PrivateKey, path, pkg, version, arch string, now time.Time) ([]byte, error) {
	size, sum, err := Digest(path)
	if err != nil {
		return nil, err
	}
	m := Manifest{Package: pkg, Version: version, Arch: arch, Size: size, SHA256: sum, Signed: now.UTC().Truncate(time.Second)}
	if err := m.check(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(key, append([]byte(context), raw...))
	return json.MarshalIndent(Signature{Manifest: raw, Signature: base64.StdEncoding.EncodeToString(sig)}, "", "  ")
}

// VerifySignature checks a .sig file's signature with the trusted key and returns its
// manifest; it does not look at the package.
func VerifySignature(trusted ed25519.PublicKey, sigFile []byte) (Manifest, error) {
	var s Signature
	if err := json.Unmarshal(sigFile, &s); err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return Manifest{}, ErrSignature
	}
	// The file may be re-indented on its way (it is indented when written): the signature
	// covers the manifest's compact form.
	var compact bytes.Buffer
	if err := json.Compact(&compact, s.Manifest); err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	if !ed25519.Verify(trusted, append([]byte(context), compact.Bytes()...), sig) {
		return Manifest{}, ErrSignature
	}
	var m Manifest
	dec := json.NewDecoder(&compact)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	if err := m.check(); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// Verify checks the package at path against its .sig file and the trusted key.
func Verify(trusted ed25519.PublicKey, path string, sigFile []byte) (Manifest, error) {
	m, err := VerifySignature(trusted, sigFile)
	if err != nil {
		return Manifest{}, err
	}
	size, sum, err := Digest(path)
	if err != nil {
		return Manifest{}, err
	}
	if size != m.Size || sum != m.SHA256 {
		return Manifest{}, ErrDigest
	}
	return m, nil
}

// FileName is the name a package is kept and served under.
func (m Manifest) FileName() string {
	return fmt.Sprintf("%s_%s_%s.deb", m.Package, m.Version, m.Arch)
}

// Repo keeps published updates in a directory: ARCH/NAME.deb and ARCH/NAME.deb.sig.
type Repo struct {
	Dir     string
	Trusted ed25519.PublicKey
}

// Publish verifies the package and its signature and copies both into the repository. It
// refuses a version not newer than the latest one published for the same architecture.
func (r Repo) Publish(debPath string, sigFile []byte) (Manifest, error) {
	m, err := Verify(r.Trusted, debPath, sigFile)
	if err != nil {
		return Manifest{}, err
	}
	latest, err := r.Latest(m.Arch)
	switch {
	case err == nil && CompareVersions(m.Version, latest.Version) <= 0:
		return Manifest{}, fmt.Errorf("%w: %s ≤ %s", ErrNotNewer, m.Version, latest.Version)
	case err != nil && !errors.Is(err, ErrNone):
		return Manifest{}, err
	}
	dir := filepath.Join(r.Dir, m.Arch)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	dst := filepath.Join(dir, m.FileName())
	if err := copyFile(debPath, dst); err != nil {
		return Manifest{}, err
	}
	// The package is checked again where it now lies: what is served is what was verified.
	if _, err := Verify(r.Trusted, dst, sigFile); err != nil {
		os.Remove(dst)
		return Manifest{}, err
	}
	// The signature is written last: a package without one is never served.
	if err := writeAtomic(dst+".sig", sigFile); err != nil {
		os.Remove(dst)
		return Manifest{}, err
	}
	return m, nil
}

// Latest returns the newest verified update for arch, ErrNone when there is none.
func (r Repo) Latest(arch string) (Manifest, error) {
	if !nameRE.MatchString(arch) {
		return Manifest{}, fmt.Errorf("%w: arch %q", ErrManifest, arch)
	}
	sigs, err := filepath.Glob(filepath.Join(r.Dir, arch, "*.deb.sig"))
	if err != nil {
		return Manifest{}, err
	}
	var best Manifest
	found := false
	for _, p := range sigs {
		b, err := os.ReadFile(p)
		if err != nil {
			return Manifest{}, err
		}
		m, err := VerifySignature(r.Trusted, b)
		if err != nil || m.Arch != arch || filepath.Base(p) != m.FileName()+".sig" {
			continue // signed with another key, or renamed by hand: not served
		}
		if !found || CompareVersions(m.Version, best.Version) > 0 {
			best, found = m, true
		}
	}
	if !found {
		return Manifest{}, ErrNone
	}
	return best, nil
}

// Find returns the verified update published for arch under the file name file (as
// Manifest.FileName names it), ErrNone when there is none.
func (r Repo) Find(arch, file string) (Manifest, error) {
	if !nameRE.MatchString(arch) || !strings.HasSuffix(file, ".deb") || filepath.Base(file) != file {
		return Manifest{}, ErrNone
	}
	b, err := os.ReadFile(filepath.Join(r.Dir, arch, file+".sig"))
	if errors.Is(err, os.ErrNotExist) {
		return Manifest{}, ErrNone
	}
	if err != nil {
		return Manifest{}, err
	}
	m, err := VerifySignature(r.Trusted, b)
	if err != nil || m.Arch != arch || m.FileName() != file {
		return Manifest{}, ErrNone
	}
	return m, nil
}

// Release returns the verified update of version for arch, ErrNone when it was never
// published (or not with the trusted key). A station fetches the version it runs this way,
// to have a package to roll back to on its first update.
func (r Repo) Release(arch, version string) (Manifest, error) {
	if !nameRE.MatchString(arch) || !versionRE.MatchString(version) {
		return Manifest{}, fmt.Errorf("%w: arch %q, version %q", ErrManifest, arch, version)
	}
	sigs, err := filepath.Glob(filepath.Join(r.Dir, arch, "*.deb.sig"))
	if err != nil {
		return Manifest{}, err
	}
	for _, p := range sigs {
		m, err := r.Find(arch, strings.TrimSuffix(filepath.Base(p), ".sig"))
		if err == nil && m.Version == version {
			return m, nil
		}
	}
	return Manifest{}, ErrNone
}

// Served returns the newest verified update of every architecture the repository holds,
// ordered by architecture: what the hub serves to stations.
func (r Repo) Served() ([]Manifest, error) {
	entries, err := os.ReadDir(r.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, e := range entries { // ReadDir sorts by name
		if !e.IsDir() || !nameRE.MatchString(e.Name()) {
			continue
		}
		m, err := r.Latest(e.Name())
		if errors.Is(err, ErrNone) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Path returns where the package of m lies in the repository.
func (r Repo) Path(m Manifest) string { return filepath.Join(r.Dir, m.Arch, m.FileName()) }

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".part"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
