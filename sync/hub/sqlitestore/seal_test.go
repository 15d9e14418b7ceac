package sqlitestore

import (
	"crypto/rand"

	"golang.org/x/crypto/nacl/box"
)

// sealAnonymous seals msg to the hub's box key the way a station does.
func sealAnonymous(msg []byte, pub *[32]byte) ([]byte, error) {
	return box.SealAnonymous(nil, msg, pub, rand.Reader)
}
