package app

import (
	"context"
	"errors"

	"liaison/device/idcard"
	"liaison/sync/domain"
)

// readCards opens a session for each card the reader reads.
func (k *Kiosk) readCards(ctx context.Context, events <-chan idcard.CardEvent) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if ev.Removed || ev.Card == nil {
				continue
			}
			k.onCard(ctx, ev.Card)
		}
	}
}

// onCard opens a session for the person whose card was read: a returning resident is
// recognised by the keyed hash; a new one is asked for consent before anything is stored.
func (k *Kiosk) onCard(ctx context.Context, c *idcard.Card) {
	if k.desk.probe.cards.offer(*c) {
		k.Log.Info("card handed to the technician's test read")
		return
	}
	number := c.IDNumber
	if c.Type == idcard.TypeUnknown || number == "" {
		k.Notify.Emit(EventCardError, Problem{Code: domain.CodeCardUnsupported})
		return
	}
	if c.Type == idcard.TypeResident && !c.IDNumberValid {
		k.Log.Warn("card with an invalid ID number check digit")
		k.Notify.Emit(EventCardError, Problem{Code: domain.CodeCardInvalid})
		return
	}
	card := &pendingCard{
		idNumber: number, name: c.Name, gender: c.Gender, birth: c.BirthDate,
		address: c.Address, cardType: string(c.Type),
	}
	if c.Type == idcard.TypeForeignPR && c.Name == "" {
		card.name = c.EnglishName
	}
	sess := Session{
		Kind:        "resident",
		SurnameMask: domain.MaskSurname(card.name),
		IDMasked:    domain.MaskID(number),
		CardType:    string(c.Type),
	}
	hash := domain.ResidentHash(k.id().HashKey, number)
	res, err := k.Store.ResidentByHash(ctx, hash)
	switch {
	case err == nil:
		sess.ResidentID = res.ID
		sess.Returning = true
		sess.Community = res.Community
		card = nil // a returning resident's card data is not needed any further
	case errors.Is(err, domain.ErrNotFound):
		sess.NeedsConsent = true
		sess.Community = communityOf(c.Address, k.communities(ctx))
	default:
		k.Log.Error("look up resident", "err", err)
		k.Notify.Emit(EventCardError, Problem{Code: domain.CodeStoreUnavailable})
		return
	}
	if k.desk.reps.end() {
		k.Notify.Emit(EventRepChanged, nil)
	}
	started := k.desk.residents.start(sess, card)
	k.Log.Info("card session started", "returning", started.Returning, "card_type", started.CardType)
	k.Notify.Emit(EventSessionChanged, started)
}
