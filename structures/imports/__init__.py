"""Strict import of a structures CSV file: read (lecture), validate the whole file (validation, one row's columns in
ligne), then write everything or nothing (ecriture); execution records and runs it (noyau.importation).

Format (also in README.md, « Structures : format d'import »)
----------------------------------------------------------------
- UTF-8 (a BOM is accepted), `;` or `,` separated (the separator of the header line), one header line, then one
  row per structure. Cells that hold several values join them with `|`.
- Columns (any order; unknown columns are an error, so that a misspelt column never loses data silently):

    identifiant *          stable identifier (ARS number or FINESS): the key of the upsert
    nom *                  name of the structure
    type *                 msp, centre-sante, esp, pta, reseau-territorial
    sous_type              centres de santé only, and required for them: polyvalent, medical, dentaire, infirmier
    universitaire          oui / non (MSP only; empty: non)
    commune *              INSEE code of the main commune (in the portal's region)
    autres_communes        other INSEE codes, `|`-joined (an ESP or a PTA may span several)
    adresse                postal address
    longitude, latitude    WGS 84 decimal degrees (`.` or `,`), both or neither
    forme_juridique        sisa, association, scm, sel, gcs, collectivite, etablissement-public, mutuelle,
                           fondation, autre
    aci                    oui / non: ACI signed (empty: non)
    date_aci               date the ACI was signed (only when aci is oui)
    date_projet, date_labellisation, date_ouverture, date_fermeture
                           at least one: the dated status changes (AAAA-MM-JJ or JJ/MM/AAAA)
    professionnels         `code:nombre|…` with the codes of structures/professions.py,
                           e.g. `medecin-generaliste:3|infirmier:4`
    email, telephone       contact
    site_web               starting with http:// or https://
    themes                 themes of the projet de santé, `|`-joined
  (* required)

- A row describes the whole structure: on update, its communes, status dates, professionals and themes replace
  the stored ones. Structures absent from the file are left as they are (and counted in the report).
- Every problem is reported with its line number, in French; a file with any error is rejected whole and nothing
  changes. A structure whose row matches what is stored is not rewritten (no history entry). Every run, dry runs
  and rejected files included, is recorded as an `ImportStructures`.
"""
