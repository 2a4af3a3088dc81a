/**
 * Joke material for the demo bots: English and French. Each language has base jokes and tag lines; a joke is
 * `base + tag`. Counts are coprime (16 × 19 = 304) so walking k = 0, 1, 2… visits every pair exactly once and
 * two consecutive jokes never share a base or a tag (see jokes.ts).
 */

export interface JokeMaterial {
  bases: readonly string[];
  tags: readonly string[];
}

export const EN_JOKES: JokeMaterial = {
  bases: [
    "Why don't scientists trust atoms? Because they make up everything.",
    'Why did the scarecrow win an award? Because he was outstanding in his field.',
    "Why don't skeletons fight each other? Because they don't have the guts.",
    'Why did the bicycle fall over? Because it was two-tired.',
    "Why do cows wear bells? Because their horns don't work.",
    'Why did the math book look so sad? Because it had too many problems.',
    "Why can't you trust a staircase? Because it's always up to something.",
    'Why did the coffee file a police report? Because it got mugged.',
    'Why do programmers prefer dark mode? Because light attracts bugs.',
    'Why did the golfer bring two pairs of trousers? Because he might get a hole in one.',
    'Why are elevator jokes so good? Because they work on many levels.',
    'Why did the tomato turn red? Because it saw the salad dressing.',
    "Why don't eggs tell jokes? Because they would crack each other up.",
    'Why was the broom late? Because it over-swept.',
    'Why did the cookie go to the doctor? Because it felt crummy.',
    'Why did the moon skip dinner? Because it was already full.',
  ],
  tags: [
    'My cat laughed so hard it fell off the sofa.',
    "I'll be here all week, please tip your waiter.",
    'Feel free to tell that one at your next family dinner.',
    'I promise the next one will be even better.',
    'My robot friend rates this one eleven out of ten.',
    'Somewhere a drummer is playing ba-dum-tss right now.',
    'That one never fails to make my grandmother giggle.',
    "Don't worry, I groaned the first time too.",
    'Share it with a friend who needs a smile today.',
    'It sounds even funnier if you read it out loud.',
    'Science has shown that puns are good for your health.',
    'I tested it on a room full of penguins and they loved it.',
    'Pause for laughter, then applause, then more laughter.',
    'That is the official joke of the day, straight from the archive.',
    'Even the office printer chuckled when it heard this one.',
    'Tell it slowly and wait for the groan.',
    'My comedy coach says the timing on that one is perfect.',
    'Rated five stars by a panel of very tired parents.',
    "If you didn't laugh, blame the delivery, not the joke.",
  ],
};

export const FR_JOKES: JokeMaterial = {
  bases: [
    'Pourquoi les plongeurs plongent-ils toujours en arrière ? Parce que sinon, ils tombent dans le bateau.',
    "Pourquoi les poissons vivent-ils dans l'eau salée ? Parce que le poivre les fait éternuer.",
    "Pourquoi les fantômes sont-ils de si mauvais menteurs ? Parce qu'on voit à travers eux.",
    "Pourquoi le livre de maths est-il toujours triste ? Parce qu'il a trop de problèmes.",
    'Pourquoi les vaches portent-elles des cloches ? Parce que leurs cornes ne marchent pas.',
    "Pourquoi le football, c'est rigolo ? Parce que Thierry en rit.",
    'Pourquoi les canards ont-ils autant de plumes ? Pour couvrir leur derrière.',
    "Pourquoi les squelettes ne se battent-ils jamais ? Parce qu'ils n'ont pas de tripes.",
    "Pourquoi la tomate est-elle rouge ? Parce qu'elle a vu la salade se déshabiller.",
    'Pourquoi les programmeurs préfèrent-ils le mode sombre ? Parce que la lumière attire les bugs.',
    "Pourquoi le vélo est-il tombé ? Parce qu'il était trop fatigué.",
    "Pourquoi les oiseaux volent-ils vers le sud en hiver ? Parce que c'est trop loin à pied.",
    "Pourquoi l'épouvantail a-t-il reçu un prix ? Parce qu'il était le meilleur dans son domaine.",
    "Pourquoi les girafes ont-elles un long cou ? Parce qu'elles ont les pieds qui sentent mauvais.",
    "Pourquoi les abeilles ont-elles les cheveux collants ? Parce qu'elles se coiffent avec des rayons de miel.",
    "Pourquoi les murs ne rient-ils jamais ? Parce qu'ils ont peur de se fissurer.",
  ],
  tags: [
    "Mon chat a tellement ri qu'il est tombé du canapé.",
    'Je vous promets que la prochaine sera encore meilleure.',
    'Racontez-la au prochain repas de famille, succès garanti.',
    'Mon ami le robot lui donne onze sur dix.',
    'Quelque part, une batterie fait ba-dum-tss en ce moment.',
    'Celle-là fait toujours rire ma grand-mère.',
    "Ne vous inquiétez pas, moi aussi j'ai soupiré la première fois.",
    "Partagez-la avec un ami qui a besoin d'un sourire aujourd'hui.",
    "Elle est encore plus drôle quand on la lit à voix haute.",
    'La science a prouvé que les jeux de mots sont bons pour la santé.',
    "Je l'ai testée devant une salle pleine de pingouins et ils ont adoré.",
    'Une pause pour les rires, puis pour les applaudissements.',
    "C'est la blague officielle du jour, tout droit sortie des archives.",
    "Même l'imprimante du bureau a gloussé en l'entendant.",
    'Racontez-la lentement et attendez le soupir.',
    'Mon professeur de théâtre dit que le rythme est parfait.',
    'Cinq étoiles selon un jury de parents très fatigués.',
    "Si vous n'avez pas ri, c'est la faute du conteur, pas de la blague.",
    'Elle marche aussi très bien le lundi matin avec un café.',
  ],
};
