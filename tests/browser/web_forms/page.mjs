// The page of tests/browser/web_forms.test.mjs: ODK Web Forms (npm @getodk/web-forms, a
// Vue component) mounted on a form published by `ngosurvey serve`, served by that server
// from a web root of its own (so every request is same-origin and carries the browser
// session's cookie). The XForm comes from GET /forms/ID/form.xml, media from the URLs
// the engine asks for; on "Send", Web Forms hands the host an instance payload whose
// data is a FormData with the part xml_submission_file (and attachments), as an
// OpenRosa server wants it: it is posted as it is to POST /submission, with the
// session's CSRF token. Web Forms itself has no server code: submitting is the host's.
// What happened is kept in window.webFormsHost for the test. esbuild bundles this file
// with Vue and Web Forms into web-forms-page.js.
import { createApp, h } from 'vue';
import { OdkWebForm, POST_SUBMIT__NEW_INSTANCE, webFormsPlugin } from '@getodk/web-forms';

const host = { status: 'loading', form: null, submissions: [], errors: [] };
window.webFormsHost = host;

async function main() {
  const formId = new URLSearchParams(location.search).get('form');
  host.form = formId;
  const session = await (await fetch('/api/v1/session')).json();
  const response = await fetch(`/forms/${encodeURIComponent(formId)}/form.xml`);
  if (!response.ok) throw new Error(`GET form.xml: ${response.status}`);
  const formXml = await response.text();
  const app = createApp({
    render: () => h(OdkWebForm, {
      formXml,
      fetchFormAttachment: (url) => fetch(url),
      onSubmit: async (payload, callback) => {
        const data = payload.data[0];
        const sent = await fetch('/submission', {
          method: 'POST',
          body: data,
          headers: { 'X-OpenRosa-Version': '1.0', 'X-CSRF-Token': session.csrf_token },
        });
        const body = await sent.text();
        const xml = await data.get('xml_submission_file').text();
        host.submissions.push({ status: sent.status, body, xml });
        // Stored (201, or 202 for a retry): Web Forms starts a new, empty instance.
        // Otherwise the answers stay on the page to be sent again.
        if (callback && (sent.status === 201 || sent.status === 202)) {
          callback({ next: POST_SUBMIT__NEW_INSTANCE });
        }
      },
    }),
  });
  app.config.errorHandler = (e) => host.errors.push(String((e && e.stack) || e));
  app.use(webFormsPlugin);
  app.mount('#app');
  host.status = 'mounted';
}

main().catch((e) => {
  host.status = 'failed';
  host.errors.push(String((e && e.stack) || e));
});
