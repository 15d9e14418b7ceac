import { createApp } from 'vue'
import { createPinia } from 'pinia'
// The bundled CJK font, the same files the console loads: nothing is fetched from outside,
// and a phone without a Chinese system font still reads every word.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/700.css'
import './styles/rep.css'
import App from './App.vue'
import { api } from '@/console/api'
import { createRepRouter, installUnauthorized } from './router'
import { createRepI18n, savedRepLocale } from './i18n'
import { ticketFromAddress } from './duty'

// The kiosk's login QR opens <hub>/m/login?t=…: the ticket moves to the page's own route
// before the router starts, and leaves the address bar.
const landing = ticketFromAddress(window.location)
if (landing) window.history.replaceState(null, '', `${landing.base}#/ticket?t=${encodeURIComponent(landing.ticket)}`)

const app = createApp(App)
app.use(createPinia())
const router = createRepRouter()
installUnauthorized(api, router)
app.use(router)
app.use(createRepI18n(savedRepLocale()))
app.mount('#rep')
