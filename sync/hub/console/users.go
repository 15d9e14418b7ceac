package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// User is an account as the API shows it.
type User struct {
	Login    string    `json:"login"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	DeptCode string    `json:"dept_code,omitempty"`
	DeptName string    `json:"dept_name,omitempty"`
	RepID    string    `json:"rep_id,omitempty"`
	Node     string    `json:"node,omitempty"` // the organisation node the account sees beneath
	NodeName string    `json:"node_name,omitempty"`
	Unit     string    `json:"unit"`
	Disabled bool      `json:"disabled"`
	Created  time.Time `json:"created"`
}

func (c *Console) userView(ctx context.Context, u store.User) User {
	v := User{Login: u.Login, Name: u.Name, Role: u.Role, DeptCode: u.DeptCode, RepID: u.RepID, Node: u.Node,
		Unit: c.accounts.Unit(ctx, u), Disabled: u.Disabled, Created: u.Created}
	if u.Node != "" {
		if tree, err := c.orgTree(ctx); err == nil {
			v.NodeName = tree.NodeName(u.Node)
		}
	}
	if u.Role == store.RoleDepartment {
		v.DeptName = v.Unit
	}
	return v
}

// UserList is the body of GET /api/v1/users.
type UserList struct {
	Users []User `json:"users"`
}

func (c *Console) listUsers(w http.ResponseWriter, r *http.Request, p *principal) {
	us, err := c.st.Users(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := UserList{Users: make([]User, 0, len(us))}
	for _, u := range us {
		out.Users = append(out.Users, c.userView(r.Context(), u))
	}
	httpjson.Write(w, http.StatusOK, out)
}

// weakPassword refuses a password shorter than MinPassword.
func weakPassword(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, domain.CodeWeakPassword, "min", strconv.Itoa(MinPassword))
}

// accountError answers an error of account management; false when it is none of them.
func accountError(w http.ResponseWriter, err error) bool {
	switch {
	case errors.Is(err, store.ErrLoginTaken):
		writeError(w, http.StatusConflict, domain.CodeLoginTaken)
	case errors.Is(err, ErrBadLogin):
		writeError(w, http.StatusBadRequest, domain.CodeBadLogin)
	case errors.Is(err, ErrBadRole):
		writeError(w, http.StatusBadRequest, domain.CodeBadUserRole)
	case errors.Is(err, ErrUnknownDepartment):
		writeError(w, http.StatusBadRequest, domain.CodeUnknownDepartment)
	case errors.Is(err, ErrUnknownRepresentative):
		writeError(w, http.StatusBadRequest, domain.CodeUnknownRepresentative)
	case errors.Is(err, ErrBadNode):
		writeError(w, http.StatusBadRequest, domain.CodeBadNode)
	case errors.Is(err, ErrWeakPassword):
		weakPassword(w)
	case errors.Is(err, store.ErrNoUser):
		writeError(w, http.StatusNotFound, domain.CodeUserNotFound)
	default:
		return false
	}
	return true
}

func (c *Console) createUser(w http.ResponseWriter, r *http.Request, p *principal) {
	var req NewUser
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	u, err := c.accounts.Add(r.Context(), req)
	if accountError(w, err) {
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("user created", "login", u.Login, "role", u.Role, "by", p.User.Login)
	httpjson.Write(w, http.StatusCreated, struct {
		User User `json:"user"`
	}{c.userView(r.Context(), u)})
}

func (c *Console) disableUser(w http.ResponseWriter, r *http.Request, p *principal) {
	login := NormLogin(r.PathValue("login"))
	err := c.accounts.Disable(r.Context(), login)
	if accountError(w, err) {
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("user disabled", "login", login, "by", p.User.Login)
	w.WriteHeader(http.StatusNoContent)
}

func (c *Console) resetPassword(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Password string `json:"password"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	login := NormLogin(r.PathValue("login"))
	err := c.accounts.SetPassword(r.Context(), login, req.Password, nil)
	if accountError(w, err) {
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("password reset", "login", login, "by", p.User.Login)
	w.WriteHeader(http.StatusNoContent)
}
