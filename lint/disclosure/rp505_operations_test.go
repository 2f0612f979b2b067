package disclosure

import (
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

func TestRP505(t *testing.T) {
	ruleCases{
		rule: "RP505",
		kind: surface.Markdown,
		tps: []string{
			"## Break-glass\n\nIf the release workflow is down, use the break-glass account `rel-admin` from the safe.",
			"The breakglass procedure: page the on-call lead, who fetches the signing key.",
			"Emergency releases follow the break glass runbook in the ops repo.",
			"The cosign key is read from secret/data/release/cosign at build time.",
			"Tokens live under kv/data/ci/ghcr-push.",
			"Run `vault kv get -field=token secret/ci/registry` on the builder.",
			"vault login -method=oidc role=release",
			"Signing keys are stored under vault path kv/release/cosign-key.",
			"vault write auth/approle/login role_id=$ROLE",
			"Signing uses arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.",
			"Credentials come from arn:aws:secretsmanager:us-east-1:123456789012:secret:release/ghcr-AbCdEf",
			"aws secretsmanager get-secret-value --secret-id prod/release/cosign",
			"gcloud secrets versions access latest --secret=release-signing-key",
			"The key is in https://tooo-release.vault.azure.net/secrets/cosign",
			"op://Release/GHCR push token/credential",
			"The signing key lives in AWS Secrets Manager under `prod/release/cosign`.",
			"We keep it in Parameter Store as \"/release/ghcr/token\".",
			"Release builders sit on VLAN 42 behind the firewall.",
			"Builders use vlan-130.",
			"VLAN ID 301 carries signing traffic.",
			"Connect through the bastion host before deploying.",
			"ssh -J ops@gw.example.com builder",
			"Use the jump box to reach the signers.",
			"Add `ProxyJump gw` to your SSH config.",
		},
		fps: []string{
			"Break-glass procedures are never published; they live in internal runbooks.",
			"We do not document break-glass access in public docs.",
			"An emergency (break-glass) release path exists and is documented privately.",
			"Break-glass procedures are never published; see the private runbook.",
			"Public docs must not describe break-glass procedures or VLANs.",
			"Secrets are stored in a secrets manager and never in the repository.",
			"Credentials are short-lived and held by official builders.",
			"We use HashiCorp Vault for secrets.",
			"Our release posture: organization-controlled build infrastructure, official builders, trusted release workflows and public distribution endpoints.",
			"VLANs separate build and validation networks.",
			"Open source is a bastion of transparency.",
			"Use ${{ secrets.GHCR_TOKEN }} in the workflow.",
			"The secret/data/ prefix is Vault's KV v2 layout.",
			"See the arn:aws:kms: docs.",
			"glassbreak and jumping hosts are unrelated words",
			"Avlan12 is a product code.",
		},
	}.run(t)
}

// TestRP505Weighed: kinds of evidence around an operational detail.
func TestRP505Weighed(t *testing.T) {
	runWeighed(t, "RP505", []weighed{
		{"plain runbook line", "", "Push tokens are kept under kv/data/ci/pypi-upload.", true},
		{"release wording beats an AWS documentation account", "", "Release archives are signed with arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.", true},
		{"the ARN's own name says release", "", "The token comes from arn:aws:ssm:eu-west-1:123456789012:parameter/release/npm.", true},
		{"KMS beside a KMS key is not ownership", "", "Configure the KMS signer:\n\n```\nkeyid: awskms:///arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n```", false},
		{"a region is not first person", "", "- Alias ARN: `awskms:///arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias`", false},
		{"template to fill in", "", "The URI is azurekms://[VAULT_NAME][VAULT_URI]/[KEY] for the vault.", false},
		{"second person and example", "", "From the example above, you should see the key arn:aws:kms:eu-north-1:465819230523:key/742e8ff2-9b9f-6f4b-09a2-50b6dfe2127c used by the KMS signer.", false},
	})
}
