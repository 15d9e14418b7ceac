package app

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/nacl/box"

	"liaison/sync/domain"
)

// ErrNotPaired means the device has no hub key yet, so an ID number cannot be sealed.
var ErrNotPaired = errors.New("device not paired with a hub")

// residentKeys are what registration needs besides the card.
type residentKeys struct {
	hashKey []byte    // the district's key for the keyed hash (from pairing; meta resident_hash_key)
	hubBox  *[32]byte // the hub's Curve25519 public key; ID numbers are sealed to it
}

// registration builds the resident.registered payload from a card read. Only the masked and
// sealed forms leave this function; the card photo never reached it.
func registration(card pendingCard, community string, k residentKeys) (domain.ResidentRegistered, string, error) {
	if k.hubBox == nil {
		return domain.ResidentRegistered{}, "", ErrNotPaired
	}
	if len(k.hashKey) < 16 {
		return domain.ResidentRegistered{}, "", fmt.Errorf("resident hash key too short")
	}
	hash := domain.ResidentHash(k.hashKey, card.idNumber)
	sealedID, err := box.SealAnonymous(nil, []byte(card.idNumber), k.hubBox, rand.Reader)
	if err != nil {
		return domain.ResidentRegistered{}, "", fmt.Errorf("seal id number: %w", err)
	}
	sealedName, err := box.SealAnonymous(nil, []byte(card.name), k.hubBox, rand.Reader)
	if err != nil {
		return domain.ResidentRegistered{}, "", fmt.Errorf("seal name: %w", err)
	}
	return domain.ResidentRegistered{
		IDHash:      hash,
		IDMasked:    domain.MaskID(card.idNumber),
		Sealed:      sealedID,
		SurnameMask: domain.MaskSurname(card.name),
		NameSealed:  sealedName,
		Gender:      card.gender,
		BirthYear:   birthYear(card.birth),
		Community:   community,
		CardType:    card.cardType,
	}, domain.ResidentID(hash), nil
}

func birthYear(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil {
		return 0
	}
	return y
}

// communityOf finds which of the station's communities a card address names.
func communityOf(address string, communities []string) string {
	for _, c := range communities {
		if c != "" && strings.Contains(address, c) {
			return c
		}
	}
	return ""
}
