package server

import (
	"net/http"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
)

// Console is the hub's web console (sync/hub/console.Console): it serves the case desk, the
// accounts and the console app, and says who may use the other staff endpoints.
type Console interface {
	// Mount adds the console's routes to mux.
	Mount(mux *http.ServeMux)
	// RequireStaff lets through requests of the street's staff and admins.
	RequireStaff(h http.Handler) http.Handler
}

// staff wraps a handler of the staff API with the console's check of the person; without a
// console nobody passes.
func (s *Server) staff(h http.HandlerFunc) http.Handler {
	if s.cfg.Console == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusUnauthorized, domain.NewError(domain.CodeUnauthorized))
		})
	}
	return s.cfg.Console.RequireStaff(h)
}

// staffActor is the person a staff request passed the console's check as, the actor of what
// it records. Every staff route is wrapped by staff, so a request without one is answered 401
// rather than recorded under nobody's name.
func staffActor(w http.ResponseWriter, r *http.Request) (domain.Actor, bool) {
	actor, ok := console.ActorFrom(r.Context())
	if !ok {
		writeError(w, http.StatusUnauthorized, domain.NewError(domain.CodeUnauthorized))
	}
	return actor, ok
}
