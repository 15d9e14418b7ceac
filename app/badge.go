package app

import (
	"context"
	"errors"

	"liaison/sync/domain"
)

// verifyBadge checks a scanned badge offline with the hub's signing key from pairing and the
// revocations synced so far. Every refusal is an *Error with a registered code.
func (r *Rep) verifyBadge(ctx context.Context, text string) (domain.Badge, *Error) {
	hubSign := r.id().HubSign
	if len(hubSign) == 0 {
		return domain.Badge{}, appError(CodeBadgeNoKey)
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
		if r.repRetired(ctx, b.Rep) {
			return b, appError(domain.CodeBadgeRepRetired)
		}
		return b, nil
	case errors.Is(err, domain.ErrBadgeExpired):
		return b, appError(CodeBadgeExpired)
	case errors.Is(err, domain.ErrBadgeRevoked):
		return b, appError(CodeBadgeRevoked)
	case errors.Is(err, domain.ErrBadgeForged):
		return b, appError(CodeBadgeForged)
	default:
		return b, appError(CodeBadgeMalformed)
	}
}

// repRetired reports whether the reference data marks the representative retired: their
// badge no longer opens the workbench, though it verifies.
func (r *Rep) repRetired(ctx context.Context, id string) bool {
	raw, err := r.Store.Ref(ctx, domain.KindRepresentativeUpserted, "rep:"+id)
	if err != nil {
		if !errors.Is(err, domain.ErrNotFound) {
			r.Log.Error("look up representative", "rep", id, "err", err)
		}
		return false
	}
	return domain.RefRetired(domain.KindRepresentativeUpserted, raw)
}
