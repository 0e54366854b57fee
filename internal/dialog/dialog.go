// Package dialog is the admin dialog of a quote connection
// (GetConfigurationFields, protocol §4.2 #1) and its own lists in
// SuperOffice's carriers. What the dialog holds is described in neutral
// terms by package settings (general settings) and by each distributor
// (distributors.Registry.Dialog); this package only lays it out.
package dialog

import (
	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// kinds are SuperOffice's field types of the neutral kinds.
var kinds = map[settings.Kind]so.FieldType{
	settings.KindText:     so.FieldText,
	settings.KindPassword: so.FieldPassword,
	settings.KindCheckbox: so.FieldCheckbox,
	settings.KindInteger:  so.FieldInteger,
	settings.KindDouble:   so.FieldDouble,
	settings.KindList:     so.FieldList,
	settings.KindLabel:    so.FieldLabel,
}

// Fields returns the admin dialog (GetConfigurationFields): one field per
// ConfigValues key and one label per group, ranked by group: the first
// group 101..., the second 201..., and so on. A distributor's credentials
// are Mandatory; SuperOffice cannot make that conditional on the checkbox,
// so the descriptions say they are needed only when the distributor (the
// group's Title) is used.
func Fields(groups []settings.Group) map[string]so.FieldMetadataInfo {
	out := map[string]so.FieldMetadataInfo{}
	for i, g := range groups {
		for j, f := range g.Fields {
			access := so.AccessNormal
			if f.Required {
				access = so.AccessMandatory
			}
			help := text(f.Help)
			if help.US == "" {
				help = text(f.Name)
			}
			if f.Required {
				help = so.JoinTexts(". ", help, so.Text{US: "Needed when " + g.Title + " is used", NO: "Påkrevd når " + g.Title + " brukes", GE: "Erforderlich, wenn " + g.Title + " verwendet wird"})
			}
			out[f.Key] = so.FieldMetadataInfo{
				FieldKey: f.Key, Rank: (i+1)*100 + j + 1, DisplayName: text(f.Name).String(), DisplayDescription: help.String(),
				FieldType: kinds[f.Kind], ListName: f.List, DefaultValue: f.Default, Access: access,
			}
		}
	}
	return out
}

// Items answers GetQuoteList for one of the dialog's own lists.
func Items(l settings.List) []so.QuoteListItemInfo {
	out := make([]so.QuoteListItemInfo, len(l.Items))
	for i, it := range l.Items {
		out[i] = so.QuoteListItemInfo{ERPQuoteListItemKey: it.Key, DisplayValue: text(it.Name).String()}
	}
	return out
}

func text(t settings.Text) so.Text { return so.Text(t) }
