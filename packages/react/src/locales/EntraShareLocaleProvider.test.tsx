import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { act, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import type { ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { axeViolations } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { EntraShareTokenProvider } from '../access-token.js'
import { BulkInvite } from '../BulkInvite/BulkInvite.js'
import { formatNumber } from '../format.js'
import { ShareButton } from '../ShareButton/ShareButton.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser/ShareWithExternalUser.js'
import {
  type BffHandlersOptions,
  bffHandlers,
  type InviteScenario,
  testBffUrl,
} from '../testing/bff-handlers.js'
import { bulkHandlers } from '../testing/bulk-handlers.js'
import { EntraShareLocaleProvider, type LocaleRequest } from './EntraShareLocaleProvider.js'
import { ar } from './packs/ar.js'
import { de } from './packs/de.js'
import { fr } from './packs/fr.js'
import { ja } from './packs/ja.js'

const target = { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'] }
const getAccessToken = async () => 'test-token'
const header = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(',')
const threeGuests = [
  bulkTemplateVersionRow,
  header,
  'ada@fabrikam.example,,true,,Ada Lovelace,,',
  'grace@fabrikam.example,,true,,Grace Hopper,,',
  'linus@fabrikam.example,,false,,Linus,,',
].join('\n')

/** Renders `ui` with a token source, below a locale provider with every pack (or none with `provider: false`). */
function renderLocalized(
  ui: ReactElement,
  {
    locale,
    provider = true,
    scenario = 'emailSent',
    options = {},
  }: {
    locale?: LocaleRequest
    provider?: boolean
    scenario?: InviteScenario
    options?: BffHandlersOptions
  } = {},
) {
  server.use(...bffHandlers(scenario, options))
  const user = userEvent.setup()
  const view = render(
    <EntraShareTokenProvider getAccessToken={getAccessToken}>
      {provider ? (
        <EntraShareLocaleProvider packs={[de, fr, ja, ar]} locale={locale}>
          {ui}
        </EntraShareLocaleProvider>
      ) : (
        ui
      )}
    </EntraShareTokenProvider>,
  )
  return { ...view, user }
}

const browserLanguages = (...languages: string[]) =>
  vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(languages)

const shareRoot = (container: HTMLElement) => container.querySelector('.es-Share') as HTMLElement

afterEach(() => vi.restoreAllMocks())

describe('<EntraShareLocaleProvider>', () => {
  it("selects by the locale prop (fr-CA takes fr) over the provider's locale and the browser's", () => {
    browserLanguages('de-DE')
    const { container } = renderLocalized(
      <>
        <ShareWithExternalUser {...target} locale="fr-CA" />
        <ShareWithExternalUser {...target} />
      </>,
      { locale: 'ja' },
    )
    const [french, japanese] = [...container.querySelectorAll<HTMLElement>('.es-Share')]
    expect(within(french as HTMLElement).getByRole('heading', { level: 2 })).toHaveTextContent(fr.share.title)
    expect(french).toHaveAttribute('lang', 'fr')
    expect(french).toHaveAttribute('dir', 'ltr')
    expect(within(japanese as HTMLElement).getByRole('heading', { level: 2 })).toHaveTextContent(
      ja.share.title,
    )
    expect(japanese).toHaveAttribute('lang', 'ja')
  })

  it("selects by the browser's languages in order (de-AT takes de) and follows a change of them", async () => {
    browserLanguages('es-ES', 'de-AT', 'en-US')
    const { container } = renderLocalized(<ShareWithExternalUser {...target} />)
    expect(screen.getByRole('heading', { name: 'Mit einer externen Person teilen' })).toBeInTheDocument()
    expect(shareRoot(container)).toHaveAttribute('lang', 'de')
    browserLanguages('ar-EG', 'en')
    act(() => {
      window.dispatchEvent(new Event('languagechange'))
    })
    expect(screen.getByRole('heading', { name: 'المشاركة مع مستخدم خارجي' })).toBeInTheDocument()
    expect(shareRoot(container)).toHaveAttribute('lang', 'ar')
  })

  it('falls back to English when no pack serves any of the languages', () => {
    browserLanguages('pt-BR', 'es')
    const { container } = renderLocalized(<ShareWithExternalUser {...target} />)
    expect(screen.getByRole('heading', { name: 'Share with an external user' })).toBeInTheDocument()
    expect(shareRoot(container)).toHaveAttribute('lang', 'en')
    expect(shareRoot(container)).toHaveAttribute('dir', 'ltr')
  })

  it('localizes the share button, its dialog and the bulk component', async () => {
    const { user } = renderLocalized(
      <>
        <ShareButton {...target} />
        <BulkInvite {...target} />
      </>,
      { locale: 'de' },
    )
    expect(screen.getByRole('region', { name: 'Gäste aus einer Datei einladen' })).toBeInTheDocument()
    expect(screen.getByLabelText('CSV-Datei')).toHaveAccessibleDescription(
      'Wählen Sie die Datei aus oder legen Sie sie hier ab.',
    )
    await user.click(screen.getByRole('button', { name: 'Teilen…' }))
    const dialog = screen.getByRole('dialog', { name: 'Mit einer externen Person teilen' })
    expect(within(dialog).getByRole('button', { name: 'Schließen' })).toBeInTheDocument()
    expect(await within(dialog).findByLabelText('Zugriff')).toBeInTheDocument()
  })

  it('renders Arabic right to left: the form, the button and its dialog, the bulk component', async () => {
    const { container, user } = renderLocalized(
      <>
        <ShareWithExternalUser {...target} />
        <ShareButton {...target} />
        <BulkInvite {...target} />
      </>,
      { locale: 'ar-SA' },
    )
    expect(shareRoot(container)).toHaveAttribute('dir', 'rtl')
    expect(shareRoot(container)).toHaveAttribute('lang', 'ar')
    expect(screen.getByRole('region', { name: 'دعوة ضيوف من ملف' })).toHaveAttribute('dir', 'rtl')
    await screen.findByLabelText('الوصول')
    expect(await axeViolations(container)).toEqual([])
    const trigger = screen.getByRole('button', { name: 'مشاركة…' })
    expect(trigger).toHaveAttribute('dir', 'rtl')
    await user.click(trigger)
    expect(screen.getByRole('dialog', { name: 'المشاركة مع مستخدم خارجي' })).toHaveAttribute('dir', 'rtl')
  })

  it('merges the strings prop onto the pack, key by key', async () => {
    const { user } = renderLocalized(
      <ShareWithExternalUser
        {...target}
        strings={{ submit: 'Einladen', errors: { rate_limited: 'Zu viele.' } }}
      />,
      { locale: 'de', scenario: 'rate_limited' },
    )
    expect(screen.getByRole('heading', { name: de.share.title })).toBeInTheDocument()
    await user.type(screen.getByLabelText('E-Mail-Adresse'), 'ada@fabrikam.example')
    await user.click(screen.getByRole('button', { name: 'Einladen' }))
    const alert = await screen.findByText('Zu viele.', { selector: '.es-Share__alert p' })
    expect(alert.parentElement).toHaveTextContent(de.share.errorTitle)
  })

  it("words counts by the pack's plural rules: Arabic's dual and singular, Japanese's one form", async () => {
    const arabic = renderLocalized(<ShareWithExternalUser {...target} />, {
      locale: 'ar',
      scenario: 'throttled',
      options: { retryAfterSeconds: 2 },
    })
    const name = screen.getByLabelText('الاسم')
    await arabic.user.click(name)
    await arabic.user.paste('x'.repeat(257))
    await arabic.user.click(screen.getByRole('button', { name: 'مشاركة' }))
    // 256 is in Arabic's "many" category (11–99 after the hundreds): the singular, accusative.
    expect(name).toHaveAccessibleDescription(expect.stringContaining('استخدم 256 حرفًا على الأكثر.'))
    await arabic.user.clear(name)
    await arabic.user.type(screen.getByLabelText('عنوان البريد الإلكتروني'), 'ada@fabrikam.example')
    await arabic.user.click(screen.getByRole('button', { name: 'مشاركة' }))
    expect(await screen.findByRole('button', { name: 'إعادة المحاولة بعد ثانيتين' })).toBeDisabled()
    await screen.findByRole('button', { name: 'إعادة المحاولة بعد ثانية واحدة' }, { timeout: 1500 })
    arabic.unmount()

    const japanese = renderLocalized(<ShareWithExternalUser {...target} />, {
      locale: 'ja',
      scenario: 'throttled',
      options: { retryAfterSeconds: 2 },
    })
    await japanese.user.type(screen.getByLabelText('メールアドレス'), 'ada@fabrikam.example')
    await japanese.user.click(screen.getByRole('button', { name: '共有' }))
    expect(await screen.findByRole('button', { name: '2 秒後に再試行' })).toBeDisabled()
  })

  it("words the bulk component's counts by the pack's plural rules and number format", async () => {
    server.use(...bulkHandlers('runs', { totalRows: 2000, polls: 8 }))
    const { user } = renderLocalized(<BulkInvite {...target} pollIntervalMs={10} />, { locale: 'ar' })
    await user.upload(
      screen.getByLabelText('ملف CSV'),
      new File([threeGuests], 'guests.csv', { type: 'text/csv' }),
    )
    // Three rows: Arabic's "few" form, the plural noun.
    expect(await screen.findByRole('table', { name: 'أول 3 صفوف من guests.csv' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'بدء الدعوات' }))
    // Two thousand: Arabic's "other" form, the singular noun after a hundred or more.
    expect(await screen.findByRole('status')).toHaveTextContent(`جارٍ دعوة ${formatNumber(2000, 'ar')} ضيف.`)
  })

  it("changes nothing without a provider: English, and the page's own lang and dir", () => {
    browserLanguages('de-DE', 'en-US')
    const { container } = renderLocalized(<ShareWithExternalUser {...target} />, { provider: false })
    expect(screen.getByRole('heading', { name: 'Share with an external user' })).toBeInTheDocument()
    expect(shareRoot(container)).not.toHaveAttribute('lang')
    expect(shareRoot(container)).not.toHaveAttribute('dir')
  })

  it('refuses a locale prop without a provider, saying what to do', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() =>
      renderLocalized(<ShareWithExternalUser {...target} locale="de" />, { provider: false }),
    ).toThrow('`locale` needs an <EntraShareLocaleProvider packs={[…]}> above it.')
  })

  it("renders on the server in the provider's locale, else in English until the browser's language is known", () => {
    browserLanguages('de-DE')
    const page = (locale?: string) =>
      renderToString(
        <EntraShareTokenProvider getAccessToken={getAccessToken}>
          <EntraShareLocaleProvider packs={[de, fr]} locale={locale}>
            <ShareWithExternalUser {...target} />
          </EntraShareLocaleProvider>
        </EntraShareTokenProvider>,
      )
    expect(page('fr')).toContain(fr.share.title)
    expect(page()).toContain('Share with an external user')
  })
})
