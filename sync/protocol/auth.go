package protocol

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
)

// authContext separates device-auth signatures from anything else the device key signs.
const authContext = "liaison.sync.v1/device-auth"

// AuthMessage is the byte string a device signs to answer a challenge:
// context 0x00 nonce 0x00 device.
func AuthMessage(nonce []byte, device string) []byte {
	b := make([]byte, 0, len(authContext)+2+len(nonce)+len(device))
	b = append(b, authContext...)
	b = append(b, 0)
	b = append(b, nonce...)
	b = append(b, 0)
	b = append(b, device...)
	return b
}

// SignHello answers a challenge for device with its private key.
func SignHello(key ed25519.PrivateKey, nonce []byte, device, appVersion string) *Hello {
	return &Hello{
		V:          Version,
		Device:     device,
		Sig:        ed25519.Sign(key, AuthMessage(nonce, device)),
		AppVersion: appVersion,
	}
}

// VerifyHello reports whether h is a valid answer to nonce by the holder of pub.
func VerifyHello(pub ed25519.PublicKey, nonce []byte, h *Hello) bool {
	if len(pub) != ed25519.PublicKeySize || len(nonce) != NonceBytes {
		return false
	}
	return ed25519.Verify(pub, AuthMessage(nonce, h.Device), h.Sig)
}

// NewNonce returns a fresh random challenge nonce.
func NewNonce() ([]byte, error) {
	n := make([]byte, NonceBytes)
	if _, err := rand.Read(n); err != nil {
		return nil, fmt.Errorf("read random nonce: %w", err)
	}
	return n, nil
}
