package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// testConnection runs TestConnection with a connection's settings as its
// calls get them (stored, or the sandbox accounts) and shows the answer.
func (c *Console) testConnection(w http.ResponseWriter, r *http.Request) {
	ctx, name := r.Context(), user(r.Context())
	tenant := r.PostForm.Get("tenant")
	id, err := strconv.Atoi(r.PostForm.Get("connection"))
	if tenant == "" || err != nil {
		c.renderError(w, r, http.StatusBadRequest, "The form names no connection.")
		return
	}
	back := Path + "/tenants#" + anchor(tenant, id)
	e := c.settingsOf(ctx, tenant, id)
	if len(e.values) == 0 {
		msg := "No settings to test: SuperOffice has not sent this connection's settings yet."
		if e.problem != "" {
			msg = "The stored settings cannot be read: " + e.problem
		}
		c.setFlash(name, flash{Text: "Test connection of " + tenant + ", " + connName(id) + ": " + msg})
		redirect(w, r, back)
		return
	}
	call := c.o.Engine.NewCall(tenant, id, e.values, "", false)
	res := c.o.Engine.TestConnection(ctx, call)
	zerolog.Ctx(ctx).Info().Str("tenant", tenant).Int("connection", id).Bool("ok", res.IsOk).Msg("console: test connection")
	text := so.ParseText(res.UserExplanation).US
	if text == "" {
		text = res.TechExplanation
	}
	verdict := "works"
	if !res.IsOk {
		verdict = "FAILED"
	}
	c.setFlash(name, flash{OK: res.IsOk, Text: "Test connection of " + tenant + ", " + connName(id) + " " + verdict + ". " + text})
	redirect(w, r, back)
}

// checkOrder looks an uncertain order up at its distributor by its
// reference: found, it is recorded as placed; not found, it may then be
// marked as not placed.
func (c *Console) checkOrder(w http.ResponseWriter, r *http.Request) {
	ctx, name := r.Context(), user(r.Context())
	key, attempt, err := formKey(r)
	if err != nil {
		c.renderError(w, r, http.StatusBadRequest, "The form is incomplete: "+err.Error()+".")
		return
	}
	back := ordersURL(r.PostForm.Get("ftenant"), r.PostForm.Get("fstate"))
	title := c.title(key.Distributor)
	e := c.settingsOf(ctx, key.Tenant, key.ConnectionID)
	if len(e.values) == 0 {
		c.setFlash(name, flash{Text: "Cannot ask " + title + ": this connection has no settings the service can use."})
		redirect(w, r, back)
		return
	}
	finder, err := c.o.Engine.OrderFinder(c.o.Engine.NewCall(key.Tenant, key.ConnectionID, e.values, "", false), key.Distributor)
	if err != nil {
		c.setFlash(name, flash{Text: "Cannot ask " + title + ": " + shown(ctx, err)})
		redirect(w, r, back)
		return
	}
	res, err := c.o.Ledger.Check(ctx, key, attempt, finder, name)
	var f flash
	switch {
	case err != nil:
		f.Text = "Nothing changed: " + shown(ctx, err)
	case res.Err != nil:
		f.Text = title + " could not be asked, nothing changed: " + shown(ctx, res.Err)
	case res.Outcome == ledger.Placed:
		f = flash{OK: true, Text: title + " has the order as " + res.OrderID + ": it is recorded as placed, and SuperOffice gets that order when it asks again."}
		c.count(key.Distributor, ledger.LabelReconciled)
	default:
		f = flash{OK: true, Text: title + " has no order with this reference. It stays uncertain; if you are sure it was not placed, mark it as not placed so the next PlaceOrder sends it."}
		c.count(key.Distributor, "checked_not_found")
	}
	c.setFlash(name, f)
	redirect(w, r, back)
}

// markNotPlaced asks for confirmation first (a page of its own, so it
// works without JavaScript), then records that the checked uncertain order
// was not placed, with the operator's name.
func (c *Console) markNotPlaced(w http.ResponseWriter, r *http.Request) {
	ctx, name := r.Context(), user(r.Context())
	key, attempt, err := formKey(r)
	if err != nil {
		c.renderError(w, r, http.StatusBadRequest, "The form is incomplete: "+err.Error()+".")
		return
	}
	ftenant, fstate := r.PostForm.Get("ftenant"), r.PostForm.Get("fstate")
	back := ordersURL(ftenant, fstate)
	if r.PostForm.Get("confirm") != "yes" {
		rec, err := c.o.Store.GetOrder(ctx, key)
		if err != nil || rec.State != store.OrderUncertain || rec.Attempt != attempt {
			c.setFlash(name, flash{Text: "Nothing changed: " + ledger.ErrChanged.Error() + "."})
			redirect(w, r, back)
			return
		}
		if rec.CheckedAt.IsZero() {
			c.setFlash(name, flash{Text: "Nothing changed: " + ledger.ErrNotChecked.Error() + "."})
			redirect(w, r, back)
			return
		}
		p := c.newPage(r, "orders", "Mark the order as not placed?", c.orderRow(rec, ftenant, fstate))
		p.Refresh = false
		c.render(w, r, http.StatusOK, "confirm", p)
		return
	}
	f := flash{OK: true, Text: c.title(key.Distributor) + " order of quote " + strconv.Itoa(key.QuoteID) + " marked as not placed by " + name + ". The next PlaceOrder of this alternative sends it."}
	if err := c.o.Ledger.MarkNotPlaced(ctx, key, attempt, name); err != nil {
		f = flash{Text: "Nothing changed: " + shown(ctx, err)}
	} else {
		c.count(key.Distributor, "marked_not_placed")
	}
	c.setFlash(name, f)
	redirect(w, r, back)
}

func (c *Console) count(distributor, outcome string) {
	if c.o.Orders != nil {
		c.o.Orders.OrderOutcome(distributor, outcome)
	}
}

// shown is an error as the console may show it: the ledger's own, and the
// distributors' (free of secrets by construction); anything else is
// logged and summarised.
func shown(ctx context.Context, err error) string {
	var de *distributors.Error
	switch {
	case errors.As(err, &de), errors.Is(err, ledger.ErrChanged), errors.Is(err, ledger.ErrNotChecked):
		return strings.TrimSuffix(err.Error(), ".") + "."
	case errors.Is(err, store.ErrNotFound):
		return "the order is no longer in the ledger."
	}
	zerolog.Ctx(ctx).Error().Err(err).Msg("console action failed")
	return "an unexpected failure (the log has the details)."
}
