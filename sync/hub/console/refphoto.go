package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // uploaded photos may be PNG
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/image/draw"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// Representatives' photos: uploaded as JPEG or PNG, stored resized as JPEG under
// Config.MediaDir/reps and served publicly at /media/reps/{id}.jpg (the kiosk and the public
// representative pages show them).
const (
	MaxPhotoUpload = 8 << 20
	// MaxPhotoPixels refuses images whose header promises more pixels than any camera makes,
	// before they are decoded.
	MaxPhotoPixels = 50_000_000
	// PhotoSide is the longest side of a stored photo, in pixels.
	PhotoSide    = 480
	photoQuality = 85
	maxPhotoText = "8 MB" // MaxPhotoUpload, as the refusal words it
)

// ResizePhoto decodes a JPEG or PNG and encodes it as a JPEG whose longest side is at most
// PhotoSide pixels, keeping its proportions; a smaller image keeps its size. It returns the
// domain code ref_photo_invalid for anything else.
func ResizePhoto(data []byte) ([]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") || cfg.Width <= 0 || cfg.Height <= 0 ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return nil, domain.WrapError(err, domain.CodeRefPhotoInvalid)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, domain.WrapError(err, domain.CodeRefPhotoInvalid)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > PhotoSide || h > PhotoSide {
		if w >= h {
			w, h = PhotoSide, max(1, h*PhotoSide/b.Dx())
		} else {
			w, h = max(1, w*PhotoSide/b.Dy()), PhotoSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// A white ground: a transparent PNG would otherwise turn black in the JPEG.
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: photoQuality}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// PhotoPath is where the stored photo of the representative id is, under the hub's media
// directory.
func PhotoPath(mediaDir, id string) string {
	return filepath.Join(mediaDir, "reps", id+".jpg")
}

// StorePhoto resizes an uploaded photo of the representative id (ResizePhoto), stores it
// under mediaDir and returns the write that points the representative's photo at it, with a
// ?v= of its hash, for the caller to record with its actor (the console's upload and
// `liaison-hub ref photo` both). It returns store.ErrNotFound for a representative that does
// not exist and the domain codes ref_photo_too_large and ref_photo_invalid for an upload
// larger than MaxPhotoUpload or that is not a JPEG or PNG.
func StorePhoto(ctx context.Context, st RefAdminStore, mediaDir, id string, upload []byte) (store.RefWrite, error) {
	if !domain.IsRefID(id) {
		return store.RefWrite{}, store.ErrNotFound
	}
	item, err := st.RefItem(ctx, domain.KindRepresentativeUpserted, id)
	if err != nil {
		return store.RefWrite{}, err
	}
	if len(upload) > MaxPhotoUpload {
		return store.RefWrite{}, domain.NewError(domain.CodeRefPhotoTooBig, "max", maxPhotoText)
	}
	jpg, err := ResizePhoto(upload)
	if err != nil {
		return store.RefWrite{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil {
		return store.RefWrite{}, fmt.Errorf("representative %s: %w", id, err)
	}
	sum := sha256.Sum256(jpg)
	m["photo"], _ = json.Marshal("/media/reps/" + id + ".jpg?v=" + hex.EncodeToString(sum[:6]))
	updated, err := json.Marshal(m)
	if err != nil {
		return store.RefWrite{}, err
	}
	if err := writeFileAtomic(PhotoPath(mediaDir, id), jpg); err != nil {
		return store.RefWrite{}, fmt.Errorf("store photo of %s: %w", id, err)
	}
	return store.RefWrite{Kind: domain.KindRepresentativeUpserted, Key: id, Data: updated}, nil
}

func (c *Console) uploadRepPhoto(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	rk, _ := domain.LookupRefKind(string(domain.KindRepresentativeUpserted))
	if c.cfg.MediaDir == "" {
		codeError(w, http.StatusServiceUnavailable, domain.CodeUnavailable, nil)
		return
	}
	// an unknown representative is answered before the upload is read
	if _, ok := c.refItem(w, r, rk, id); !ok {
		return
	}
	httpjson.LimitBody(w, r, MaxPhotoUpload+64<<10)
	file, _, err := r.FormFile("photo")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			codeError(w, http.StatusRequestEntityTooLarge, domain.CodeRefPhotoTooBig, map[string]string{"max": maxPhotoText})
			return
		}
		codeError(w, http.StatusBadRequest, domain.CodeRefPhotoInvalid, nil)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxPhotoUpload+1))
	if err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeRefPhotoInvalid, nil)
		return
	}
	write, err := StorePhoto(r.Context(), c.st, c.cfg.MediaDir, id, data)
	if e, ok := domain.AsError(err); ok {
		status := http.StatusBadRequest
		if e.Code == domain.CodeRefPhotoTooBig {
			status = http.StatusRequestEntityTooLarge
		}
		codeError(w, status, e.Code, e.Params)
		return
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		codeError(w, http.StatusNotFound, domain.CodeNotFound, nil)
		return
	case err != nil:
		c.internal(w, r, err)
		return
	}
	if _, ok := c.putRefs(w, r, p, []store.RefWrite{write}); !ok {
		return
	}
	if item, ok := c.refItem(w, r, rk, id); ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(item)
	}
}

// writeFileAtomic writes data to path through a temporary file and a rename, so a reader
// never sees half a photo.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".photo-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// repPhoto serves a stored photo: public, like the representatives' public pages. The ?v=
// of the photo's address changes with every upload, so a photo may be cached for long.
func (c *Console) repPhoto(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	id, ok := strings.CutSuffix(file, ".jpg")
	if !ok || !domain.IsRefID(id) || c.cfg.MediaDir == "" {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(PhotoPath(c.cfg.MediaDir, id))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	if _, err := io.Copy(w, f); err != nil {
		c.log.Debug("photo not sent", "id", id, "err", fmt.Sprint(err))
	}
}
