package disclosure

import (
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

func TestRP504(t *testing.T) {
	ruleCases{
		rule: "RP504",
		kind: surface.Markdown,
		tps: []string{
			"./config.sh --url https://github.com/tooo --token AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A",
			"```\n./config.sh --unattended \\\n  --url https://github.com/tooo/aurora \\\n  --token AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A\n```",
			"config.cmd --url https://github.com/tooo --token=AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A",
			"gitlab-runner register -n -u https://gitlab.com -r GR1348941zX8yHq2mP4vK9wLs7Tf",
			"gitlab-runner register --registration-token GR1348941zX8yHq2mP4vK9wLs7Tf",
			"Runner registration token: AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A",
			"export ACTIONS_RUNNER_TOKEN=AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A",
			"registration_token: \"AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A\"",
			"The runner token is AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A.",
			"Heavy images build on the rack7-gpu runners.",
			"Use `runs-on: [self-hosted, airgap-builder]` for firmware.",
			"| label | AIRGAP-BUILDER |",
		},
		fps: []string{
			"./config.sh --url https://github.com/tooo --token <TOKEN>",
			"./config.sh --url https://github.com/tooo --token $RUNNER_TOKEN",
			"./config.sh --url https://github.com/tooo --token ${{ secrets.RUNNER_TOKEN }}",
			"./config.sh --url https://github.com/tooo --token YOUR_REGISTRATION_TOKEN_HERE",
			"Run ./config.sh to configure the runner (see the private runbook).",
			"The registration token is short-lived and never published.",
			"registration_token: XXXXXXXXXXXXXXXXXXXXXXXXXXXX",
			"Releases run on organization-controlled build infrastructure with self-hosted runners.",
			"rack7-gpus and my-airgap-builder-2 are different names.",
			"runs-on: ubuntu-latest",
			"trusted release workflows and official builders",
		},
	}.run(t)
}

func TestRP504Workflow(t *testing.T) {
	ruleCases{
		rule: "RP504",
		kind: surface.Workflow,
		tps: []string{
			"jobs:\n  build:\n    runs-on: [self-hosted, rack7-gpu]\n",
			"jobs:\n  build:\n    runs-on:\n      - self-hosted\n      - airgap-builder\n    steps: []\n",
			"jobs:\n  build:\n    runs-on:\n      group: heavy\n      labels: [rack7-gpu]\n",
			"jobs:\n  reg:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./config.sh --url https://github.com/tooo --token AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A\n",
		},
		fps: []string{
			"jobs:\n  build:\n    runs-on: [self-hosted, linux, x64]\n",
			"jobs:\n  rack7-gpu:\n    name: rack7-gpu smoke test\n    runs-on: ubuntu-latest\n",
			"jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo airgap-builder\n",
			"jobs:\n  reg:\n    runs-on: self-hosted\n    steps:\n      - run: ./config.sh --url https://github.com/tooo --token ${{ secrets.REG }}\n",
		},
	}.run(t)
}
