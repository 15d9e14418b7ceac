package console

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/update"
)

// Limits of an update upload.
const (
	MaxUpdatePackage   = 512 << 20
	maxUpdateSignature = 64 << 10
)

// PublishedUpdate answers a published station update.
type PublishedUpdate struct {
	Package string `json:"package"`
	Version string `json:"version"`
	Arch    string `json:"arch"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
}

// UpdateList answers GET /api/v1/admin/updates: whether the hub takes station updates (it
// trusts an update key) and the package it serves for each architecture.
type UpdateList struct {
	Enabled bool              `json:"enabled"`
	Served  []PublishedUpdate `json:"served"`
}

// UpdateErrors are the codes publishing an update may be refused with, besides bad_request.
func UpdateErrors() []string {
	return []string{domain.CodeUpdatesOff, domain.CodeUpdateSignature, domain.CodeUpdateDigest,
		domain.CodeUpdateManifest, domain.CodeUpdateNotNewer, domain.CodeUpdateFileMissing}
}

func published(m update.Manifest) PublishedUpdate {
	return PublishedUpdate{Package: m.Package, Version: m.Version, Arch: m.Arch, Size: m.Size, SHA256: m.SHA256}
}

// listUpdates answers GET /api/v1/admin/updates.
func (c *Console) listUpdates(w http.ResponseWriter, r *http.Request, _ *principal) {
	l := UpdateList{Served: []PublishedUpdate{}}
	if repo := c.cfg.Updates; repo != nil {
		l.Enabled = true
		served, err := repo.Served()
		if err != nil {
			c.internal(w, r, err)
			return
		}
		for _, m := range served {
			l.Served = append(l.Served, published(m))
		}
	}
	httpjson.Write(w, http.StatusOK, l)
}

func (c *Console) updateError(w http.ResponseWriter, status int, code string, params map[string]string) {
	// The parameters go along so the console words the refusal in the user's language.
	codeError(w, status, code, params)
}

// publishUpdate answers POST /api/v1/admin/updates: a multipart form with the .deb in the
// field "package" and its .sig in "signature". The hub verifies both before it keeps them.
func (c *Console) publishUpdate(w http.ResponseWriter, r *http.Request, p *principal) {
	repo := c.cfg.Updates
	if repo == nil {
		c.updateError(w, http.StatusConflict, domain.CodeUpdatesOff, nil)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		c.updateError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "send the files as multipart/form-data"})
		return
	}
	httpjson.LimitBody(w, r, MaxUpdatePackage+maxUpdateSignature+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		c.updateError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": err.Error()})
		return
	}
	if err := os.MkdirAll(repo.Dir, 0o755); err != nil {
		c.internal(w, r, err)
		return
	}
	var sig []byte
	pkg := ""
	defer func() {
		if pkg != "" {
			os.Remove(pkg)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.updateError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": err.Error()})
			return
		}
		switch part.FormName() {
		case "signature":
			if sig, err = io.ReadAll(io.LimitReader(part, maxUpdateSignature)); err != nil {
				c.updateError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": err.Error()})
				return
			}
		case "package":
			if pkg != "" {
				os.Remove(pkg)
			}
			f, err := os.CreateTemp(repo.Dir, "upload-*.part")
			if err != nil {
				c.internal(w, r, err)
				return
			}
			pkg = f.Name()
			_, err = io.Copy(f, io.LimitReader(part, MaxUpdatePackage))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				c.updateError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": err.Error()})
				return
			}
		}
	}
	switch {
	case pkg == "":
		c.updateError(w, http.StatusBadRequest, domain.CodeUpdateFileMissing, map[string]string{"field": "package"})
		return
	case sig == nil:
		c.updateError(w, http.StatusBadRequest, domain.CodeUpdateFileMissing, map[string]string{"field": "signature"})
		return
	}
	m, err := repo.Publish(pkg, sig)
	switch {
	case errors.Is(err, update.ErrSignature):
		c.updateError(w, http.StatusUnprocessableEntity, domain.CodeUpdateSignature, nil)
	case errors.Is(err, update.ErrDigest):
		c.updateError(w, http.StatusUnprocessableEntity, domain.CodeUpdateDigest, nil)
	case errors.Is(err, update.ErrManifest):
		c.updateError(w, http.StatusUnprocessableEntity, domain.CodeUpdateManifest, nil)
	case errors.Is(err, update.ErrNotNewer):
		params := map[string]string{}
		if sm, err := update.VerifySignature(repo.Trusted, sig); err == nil {
			params["version"] = sm.Version
			if latest, err := repo.Latest(sm.Arch); err == nil {
				params["latest"] = latest.Version
			}
		}
		c.updateError(w, http.StatusConflict, domain.CodeUpdateNotNewer, params)
	case err != nil:
		c.internal(w, r, err)
	default:
		c.log.Info("station update published", "version", m.Version, "arch", m.Arch, "sha256", m.SHA256, "by", p.User.Login)
		httpjson.Write(w, http.StatusCreated, published(m))
	}
}
