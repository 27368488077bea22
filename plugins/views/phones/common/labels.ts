// The fixed words of the phone documents, in the language the phone asks for (Accept-Language);
// any other language gets English.
import Negotiator from 'negotiator';

export interface Labels {
  search_title: string;
  directory_title: string;
  prompt: string;
  prompt_colon: string;
  search: string;
  no_entries: string;
  dial: string;
  exit: string;
  prev_page_key: string;
  next_page_key: string;
  previous_page: string;
  next_page: string;
}

const translations: Record<string, Labels> = {
  en: {
    search_title: 'Wazo Search', directory_title: 'Wazo Directory', prompt: 'Name or number', prompt_colon: 'Name or number:',
    search: 'Search', no_entries: 'No entries', dial: 'Dial', exit: 'Exit', prev_page_key: 'PrevPage', next_page_key: 'NextPage',
    previous_page: 'Previous Page', next_page: 'Next Page',
  },
  fr: {
    search_title: 'Recherche Wazo', directory_title: 'Annuaire Wazo', prompt: 'Nom ou numéro', prompt_colon: 'Nom ou numéro :',
    search: 'Rechercher', no_entries: 'Aucune entrée', dial: 'Appeler', exit: 'Quitter', prev_page_key: 'PagePréc', next_page_key: 'PageSuiv',
    previous_page: 'Page précédente', next_page: 'Page suivante',
  },
  de: {
    search_title: 'Wazo-Suche', directory_title: 'Wazo-Verzeichnis', prompt: 'Name oder Nummer', prompt_colon: 'Name oder Nummer:',
    search: 'Suchen', no_entries: 'Keine Einträge', dial: 'Wählen', exit: 'Beenden', prev_page_key: 'Zurück', next_page_key: 'Weiter',
    previous_page: 'Vorherige Seite', next_page: 'Nächste Seite',
  },
  es: {
    search_title: 'Búsqueda Wazo', directory_title: 'Directorio Wazo', prompt: 'Nombre o número', prompt_colon: 'Nombre o número:',
    search: 'Buscar', no_entries: 'Sin entradas', dial: 'Marcar', exit: 'Salir', prev_page_key: 'PágAnt', next_page_key: 'PágSig',
    previous_page: 'Página anterior', next_page: 'Página siguiente',
  },
  it: {
    search_title: 'Ricerca Wazo', directory_title: 'Rubrica Wazo', prompt: 'Nome o numero', prompt_colon: 'Nome o numero:',
    search: 'Cerca', no_entries: 'Nessuna voce', dial: 'Chiama', exit: 'Esci', prev_page_key: 'PagPrec', next_page_key: 'PagSucc',
    previous_page: 'Pagina precedente', next_page: 'Pagina successiva',
  },
};
const languages = Object.keys(translations);

/** The language served for an Accept-Language: `fr-CA` gets French (a region falls back to its language); no match gets English. */
export function languageFor(acceptLanguage: string | undefined): string {
  if (!acceptLanguage) return 'en';
  const language = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(languages);
  return language && Object.hasOwn(translations, language) ? language : 'en';
}

export function labelsFor(acceptLanguage: string | undefined): Labels {
  return translations[languageFor(acceptLanguage)];
}
