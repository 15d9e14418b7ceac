package console

import (
	"net/http"
	"net/url"

	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/domain"
)

// repQRPixels is the side of a representative's QR image: large enough to print on a notice
// at a station and be read from a phone at arm's length.
const repQRPixels = 480

// RepPageURL is the address a representative's 扫码找代表 QR holds: the hub's public page of
// the representative, the same one the kiosk's QR opens (the hub server's RepPath).
func RepPageURL(hub, id string) string {
	return hub + "/r/" + url.PathEscape(id)
}

// RepQR is the PNG of a representative's 扫码找代表 QR, holding RepPageURL(hub, id): the
// console shows and prints it, `liaison-hub ref qr` writes it to a file.
func RepQR(hub, id string) ([]byte, error) {
	return qrcode.Encode(RepPageURL(hub, id), qrcode.Medium, repQRPixels)
}

// repQR answers the PNG of a representative's QR, for the console to show and print.
func (c *Console) repQR(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	rk, _ := domain.LookupRefKind(string(domain.KindRepresentativeUpserted))
	if _, ok := c.refItem(w, r, rk, id); !ok {
		return
	}
	png, err := RepQR(c.hubURL(r), id)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}
