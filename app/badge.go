package app

import (
	"context"
	"errors"

	"liaison/sync/domain"
)

// Badge error codes (frontend: errors.<code>).
const (
	CodeBadgeExpired   = "badge_expired"
	CodeBadgeRevoked   = "badge_revoked"
	CodeBadgeForged    = "badge_forged"
	CodeBadgeMalformed = "badge_malformed"
	CodeBadgeNoKey     = "badge_no_key"
	CodeScanUnknown    = "scan_unknown"
)

// verifyBadge checks a scanned badge offline with the hub's signing key from pairing and the
// revocations synced so far. Every refusal is an *Error with a message fit for the screen.
func (r *Rep) verifyBadge(ctx context.Context, text string) (domain.Badge, *Error) {
	hubSign := r.id().HubSign
	if len(hubSign) == 0 {
		return domain.Badge{}, errorf(CodeBadgeNoKey, "本机尚未与区平台配对，暂时无法验证代表证")
	}
	revoked := func(serial string) bool {
		_, err := r.Store.Ref(ctx, domain.KindBadgeRevoked, domain.BadgeRevokedStream(serial))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			// A store that cannot answer must not let a revoked badge through.
			r.Log.Error("look up badge revocation", "err", err)
			return true
		}
		return err == nil
	}
	b, err := domain.VerifyBadge(text, hubSign, r.Now(), revoked)
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, domain.ErrBadgeExpired):
		return b, errorf(CodeBadgeExpired, "代表证已过期，请联系街道人大工委换发")
	case errors.Is(err, domain.ErrBadgeRevoked):
		return b, errorf(CodeBadgeRevoked, "代表证已作废，请联系街道人大工委")
	case errors.Is(err, domain.ErrBadgeForged):
		return b, errorf(CodeBadgeForged, "代表证验证未通过：不是本区签发的代表证")
	default:
		return b, errorf(CodeBadgeMalformed, "无法识别这张代表证，请重新扫码")
	}
}
