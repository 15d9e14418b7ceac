package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/update"
)

// Updates is the repository of station packages the hub serves (update.Repo).
type Updates interface {
	Latest(arch string) (update.Manifest, error)
	Release(arch, version string) (update.Manifest, error)
	Find(arch, file string) (update.Manifest, error)
	Path(m update.Manifest) string
}

// LatestUpdate answers GET /api/v1/updates/latest: the newest package for the architecture,
// its signature file as published, and where to download it. The endpoints are public: a
// station verifies the signature with the key it trusts before installing, so the hub and
// the network are not relied upon for integrity, and packages hold no personal data.
type LatestUpdate struct {
	Manifest  update.Manifest `json:"manifest"`
	Signature json.RawMessage `json:"signature"` // the content of PKG.deb.sig
	URL       string          `json:"url"`       // path of the package on this hub
}

func (s *Server) latestUpdate(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Updates == nil {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeNotFound))
		return
	}
	m, err := s.cfg.Updates.Latest(r.URL.Query().Get("arch"))
	s.answerUpdate(w, m, err)
}

// releaseUpdate answers GET /api/v1/updates/release?arch=A&version=V as latestUpdate does, for
// a version published earlier: a station fetches the version it runs, to roll back to it if
// its first update is not healthy.
func (s *Server) releaseUpdate(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Updates == nil {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeNotFound))
		return
	}
	m, err := s.cfg.Updates.Release(r.URL.Query().Get("arch"), r.URL.Query().Get("version"))
	s.answerUpdate(w, m, err)
}

func (s *Server) answerUpdate(w http.ResponseWriter, m update.Manifest, err error) {
	switch {
	case errors.Is(err, update.ErrNone):
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeNotFound))
		return
	case errors.Is(err, update.ErrManifest):
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "arch or version"))
		return
	case err != nil:
		s.log.Error("update repository", "err", err)
		writeError(w, http.StatusInternalServerError, domain.NewError(domain.CodeInternal))
		return
	}
	sig, err := os.ReadFile(s.cfg.Updates.Path(m) + ".sig")
	if err != nil {
		s.log.Error("update signature", "err", err)
		writeError(w, http.StatusInternalServerError, domain.NewError(domain.CodeInternal))
		return
	}
	httpjson.Write(w, http.StatusOK, LatestUpdate{Manifest: m, Signature: sig,
		URL: "/api/v1/updates/" + m.Arch + "/" + m.FileName()})
}

// updatePackage serves a published package named by latestUpdate or releaseUpdate; ranges
// let a station resume. Older packages are served too: a station installs only a version
// newer than the one it runs, and keeps the one it runs only to roll back to.
func (s *Server) updatePackage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Updates == nil {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeNotFound))
		return
	}
	m, err := s.cfg.Updates.Find(r.PathValue("arch"), r.PathValue("file"))
	if err != nil {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeNotFound))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.debian.binary-package")
	httpjson.AllowTransfer(w, m.Size) // a station on a slow link still gets the whole package
	http.ServeFile(w, r, s.cfg.Updates.Path(m))
}
