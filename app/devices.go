package app

import (
	"context"
	"errors"
	"time"

	"liaison/device/idcard"
	"liaison/device/scanner"
	"liaison/device/serialport"
	"liaison/sync/domain"
)

// Read timeouts of the serial ports: short, so a Close never waits on a blocked Read.
const portReadTimeout = 100 * time.Millisecond

// openDevices builds the ID-card reader and the QR scanner the settings name ("sim" starts a
// simulator on a pty and talks to it through the same serial driver as real hardware). It
// starts nothing: runDevices does, once every field the workers read is set.
func (s *Station) openDevices() {
	if s.cfg.Role != "kiosk" {
		return
	}
	if path := s.cfg.Reader; path != "" {
		if path == "sim" {
			sim, err := idcard.StartSimulator(s.log.With("component", "idcard-sim"))
			if err != nil {
				s.log.Error("start ID-card reader simulator", "err", err)
			} else {
				s.cardSim = sim
				path = sim.Path()
			}
		}
		if path != "sim" {
			baud := s.cfg.ReaderBaud
			s.reader = idcard.NewReader(idcard.Config{Port: path}, func() (serialport.Port, error) {
				return serialport.Open(path, baud, portReadTimeout)
			}, s.log)
		}
	}
	if path := s.cfg.Scanner; path != "" {
		if path == "sim" {
			sim, err := scanner.StartSimulator(s.log.With("component", "scanner-sim"))
			if err != nil {
				s.log.Error("start QR scanner simulator", "err", err)
			} else {
				s.scanSim = sim
				path = sim.Path()
			}
		}
		if path != "sim" {
			baud := s.cfg.ScannerBaud
			s.scanner = scanner.NewScanner(scanner.Config{Port: path}, func() (serialport.Port, error) {
				return serialport.Open(path, baud, portReadTimeout)
			}, s.log)
		}
	}
}

// runDevices starts the drivers built by openDevices and the loops that listen to them.
func (s *Station) runDevices(ctx context.Context) {
	if s.reader != nil {
		s.goRun("idcard", func() { _ = s.reader.Run(ctx) })
		s.goRun("idcard-events", func() { s.cardLoop(ctx) })
		s.goRun("idcard-status", func() { s.watchStatus(ctx, s.reader.StatusChanged()) })
	}
	if s.scanner != nil {
		s.goRun("scanner", func() { _ = s.scanner.Run(ctx) })
		s.goRun("scanner-events", func() { s.scanLoop(ctx) })
		s.goRun("scanner-status", func() { s.watchStatus(ctx, s.scanner.StatusChanged()) })
	}
}

// watchStatus pushes every device state change to the screen.
func (s *Station) watchStatus(ctx context.Context, changed <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			s.emitEvent(EventStatusChanged, s.status(ctx))
		}
	}
}

func (s *Station) cardLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-s.reader.Events():
			if !ok {
				return
			}
			if ev.Removed || ev.Card == nil {
				continue
			}
			s.onCard(ctx, ev.Card)
		}
	}
}

// onCard opens a session for the person whose card was read: a returning resident is
// recognised by the keyed hash; a new one is asked for consent before anything is stored.
func (s *Station) onCard(ctx context.Context, c *idcard.Card) {
	number := c.IDNumber
	if c.Type == idcard.TypeUnknown || number == "" {
		s.emitEvent(EventCardError, Problem{Code: "card_unsupported", Message: "暂不支持这种证件"})
		return
	}
	if c.Type == idcard.TypeResident && !c.IDNumberValid {
		s.log.Warn("card with an invalid ID number check digit")
		s.emitEvent(EventCardError, Problem{Code: "card_invalid", Message: "证件号码校验未通过，请联系工作人员"})
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
	hash := domain.ResidentHash(s.id.hashKey, number)
	res, err := s.store.ResidentByHash(ctx, hash)
	switch {
	case err == nil:
		sess.ResidentID = res.ID
		sess.Returning = true
		sess.Community = res.Community
		card = nil // a returning resident's card data is not needed any further
	case errors.Is(err, domain.ErrNotFound):
		sess.NeedsConsent = true
		sess.Community = communityOf(c.Address, s.communities(ctx))
	default:
		s.log.Error("look up resident", "err", err)
		s.emitEvent(EventCardError, Problem{Code: CodeStoreFailed, Message: "本机存储出现问题，请联系工作人员"})
		return
	}
	if s.reps != nil && s.reps.end() {
		s.emitEvent(EventRepChanged, nil)
	}
	started := s.sessions.start(sess, card)
	s.log.Info("card session started", "returning", started.Returning, "card_type", started.CardType)
	s.emitEvent(EventSessionChanged, started)
}

func (s *Station) communities(ctx context.Context) []string {
	st, err := s.store.Station(ctx, s.id.station)
	if err != nil {
		return nil
	}
	return st.Communities
}
